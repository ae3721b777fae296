"""On an essay's page, each glossary term opens its definition by tap, click or keyboard.

The glossary links the first use of each term in an essay's content (``glossary``):
``<a class="glossary-term" href="…#term-x" title="definition"
aria-describedby="glossary-x">``, which feeds carry as an ordinary link to the
Glossary page.  On the page, the ``term_popovers`` Jinja filter turns each
into a button that opens a popover (the HTML ``popover`` attribute, with
``popovertarget``: no script) holding the definition and the link to the
Glossary; ``aria-describedby`` still gives screen readers the definition from
the "Terms in this essay" list, and the hover-only ``title`` goes.  Escape or
a tap elsewhere closes it.  The stylesheet places it under the term.  A
definition written in another language than the page's (an English glossary
on a Chinese essay) says so with ``lang``.

Only the page changes, as with sidenotes: the essay's ``_content`` keeps the
links.  Links are found with the shared HTML reader (``core.html``) and
edited in place; the rest of the essay is left byte for byte.

Signals: none; the filter is declared to the core's template service.
"""

import html

from markupsafe import Markup

from plugins.core import html as bzhtml

from .glossary import lang_attribute


def _popover(text, link, label, lang=None):
    """The button and popover in place of one term link, or None when it is not one."""
    described = link.get("aria-describedby") or ""
    href = link.get("href")
    definition = link.get("title")
    if not described.startswith("glossary-") or href is None or definition is None:
        return None
    popover_id = "popover-" + described
    inner = text[link.end : bzhtml.end_tag(text, "a", link.end)[0]]
    said = html.escape(definition, quote=False)
    other = lang_attribute(definition, lang)
    if other:  # an English definition on a Chinese page
        said = f"<span{other}>{said}</span>"
    return (
        f'<button type="button" class="glossary-term" popovertarget="{html.escape(popover_id)}"'
        f' aria-describedby="{html.escape(described)}">{inner}</button>'
        f'<span class="glossary-popover" id="{html.escape(popover_id)}" popover'
        " data-pagefind-ignore>"
        f'<span class="glossary-popover-term">{inner}</span> '
        f"{said} "
        f'<a href="{html.escape(href)}">{html.escape(label, quote=False)}</a></span>'
    )


def term_popovers(content, label="In the glossary", lang=None):
    """Essay HTML with each glossary term link made a button that opens its
    definition; ``label`` names the link to the Glossary page, in the page's
    language ``lang``."""
    content = str(content)
    if 'class="glossary-term"' not in content:
        return Markup(content)
    edits = []
    for link in bzhtml.start_tags(content, ("a",)):
        if not link.has_class("glossary-term"):
            continue
        close = bzhtml.end_tag(content, "a", link.end)
        replacement = _popover(content, link, label, lang) if close else None
        if replacement is not None:
            edits.append((link.start, close[1], replacement))
    return Markup(bzhtml.apply_edits(content, edits))
