"""The HTML fragments the views show, each from an autoescaping jinja2 template."""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

__all__ = ["render"]

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_TEMPLATES = {
    "notice": '{% if text %}<p role="alert" class="fl-notice">{{ text }}</p>{% endif %}',
    "caption": '{% if html %}<div class="fl-snapshot-caption" role="note">{{ html }}</div>'
    "{% endif %}",
    "beacon": '<span class="fl-beacon" data-view="{{ view }}">{{ iso }}</span>',
    "attribution": "<h3>{{ title }}</h3><ul>{% for e in layers %}<li><strong>{{ e.title }}"
    "</strong>: {{ e.attribution }} ({{ e.licence }})</li>{% endfor %}</ul>",
    # long titles and addresses wrap on a phone instead of widening the page
    "background": '<div class="fl-background" style="overflow-wrap:anywhere"><h3>{{ title }}</h3>'
    "<ul>{% for e in events %}<li><strong>{{ e.date }}</strong>: {{ e.title }}. {{ e.summary }}"
    "<small>{{ e.sources }}</small></li>{% endfor %}</ul></div>",
    "downloads": '<p class="fl-downloads">{% for l in links %}<a class="fl-button" download="'
    '{{ l.name }}" href="{{ l.href }}">{{ l.label }}</a>{% if not loop.last %} {% endif %}'
    "{% endfor %}</p>",
}


_COMPILED = {k: _ENV.from_string(v) for k, v in _TEMPLATES.items()}


def render(name: str, **fields: Any) -> Markup:
    """Render fragment ``name`` with ``fields`` (text is escaped; pass ``Markup`` to keep HTML).

    Examples
    --------
    >>> str(render("notice", text="<b>x</b>"))
    '<p role="alert" class="fl-notice">&lt;b&gt;x&lt;/b&gt;</p>'
    """
    return Markup(_COMPILED[name].render(**fields))
