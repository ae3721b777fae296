"""Steps run in the order they declare, whatever the order plugins were registered in."""

from plugins.core import pipeline


def test_steps_run_by_their_order_not_by_registration(monkeypatch):
    monkeypatch.setitem(pipeline._ACTIVE, "plugins", None)  # any build's plugins
    ran = []
    steps = [
        ("plugins.b", "late", pipeline.Order.DEPLOY),
        ("plugins.a", "early", pipeline.Order.INDEX),
        ("plugins.c", "middle", pipeline.Order.REWRITE),
    ]
    signal = "test_signal_order"
    for module, name, order in steps:

        def step(sender, name=name):
            ran.append(name)

        step.__module__, step.__qualname__ = module, name
        pipeline._STEPS.setdefault(signal, {})[f"{module}.{name}"] = pipeline.Step(
            int(order), f"{module}.{name}", module, step
        )
    for step in pipeline.steps(signal):
        step.receiver(None)
    assert ran == ["early", "middle", "late"]


def test_a_plugin_outside_the_build_takes_no_part():
    assert pipeline.takes_part("plugins.sidenotes", ["plugins.core", "plugins.sidenotes"])
    assert not pipeline.takes_part("plugins.sidenotes", ["plugins.core"])
    assert pipeline.takes_part("plugins.core", ["plugins.sidenotes"])
    assert not pipeline.takes_part("plugins.core", ["neighbors"])
    assert pipeline.takes_part("plugins.sidenotes", None)
