"""The Content-Security-Policy string, widened where a feature needs a source.

One function for every plugin that adds a source to the site's policy
(``CONTENT_SECURITY_POLICY``): ``host_headers`` for the header, the e-mail
edition's subscribe form for ``form-action``.
"""

from __future__ import annotations


def widen(policy, sources):
    """Add sources to directives of a CSP string, keeping its order; a
    directive the policy lacks is added at its end."""
    parts, seen = [], set()
    for part in policy.split(";"):
        if not part.strip():
            continue
        name, *values = part.split()
        seen.add(name)
        values += [s for s in sources.get(name, []) if s not in values]
        parts.append(" ".join([name, *values]))
    parts += [" ".join([name, *values]) for name, values in sources.items() if name not in seen]
    return "; ".join(parts)
