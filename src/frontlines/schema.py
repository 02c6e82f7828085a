"""The layer model: which layers exist, their columns, and the type of each column.

The schema lives in code because the queries depend on it; ``geo/manifest.json`` lists the
same columns for people and other tools, and validation checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CONFIDENCE",
    "FACTION_IDS",
    "CONTESTED",
    "NONE",
    "Column",
    "LayerSpec",
    "LAYERS",
    "OUTLET_TYPES",
    "ALIGNMENTS",
    "spec",
    "CONTROL_LAYERS",
]

CONFIDENCE = ("high", "medium", "low")
#: The factions every layer set must define, exactly.
FACTION_IDS = ("government", "rebels", "kurdish", "isis", "turkish_backed")
#: The state "troops of two sides inside, neither in clear control".
CONTESTED = "contested"
#: What a query answers where nobody is recorded as holding the ground.
NONE = "none"
#: The kinds of outlet a bibliography row may be (``dataset``: a published data package).
OUTLET_TYPES = (
    "wire",
    "newspaper",
    "broadcaster",
    "un_agency",
    "ngo",
    "monitor",
    "government",
    "state_media",
    "partisan_media",
    "encyclopedia",
    "blog",
    "dataset",
)
#: The side of the war an outlet is owned by or reliably advocates for.
ALIGNMENTS = (
    "none",
    "syrian_government",
    "opposition",
    "kurdish",
    "russia",
    "iran",
    "turkey",
    "qatar",
    "saudi_arabia",
    "united_states",
)


@dataclass(frozen=True)
class Column:
    """One column of a layer.

    ``kind`` is one of: ``id`` (a unique slug), ``text`` (plain text, no HTML), ``aliases``
    (a list of plain texts), ``bool``, ``number`` (a number > 0), ``int``, ``date``
    (``YYYY-MM-DD``), ``enum`` (one of ``choices``), ``ref`` (an id of layer ``ref``),
    ``refs`` (whitespace-separated ids of layer ``ref``), ``sources`` (whitespace-separated
    ids of the bibliography, layer ``sources``), ``url`` (an http(s) address), ``pdate`` (a
    date that may be partial: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), ``confidence`` and
    ``colour`` (``#rrggbb``).
    """

    name: str
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    ref: str | None = None
    max_len: int | None = None


@dataclass(frozen=True)
class LayerSpec:
    """A layer: its file format, geometry types and columns.

    ``history_of`` names the column that ties a history row to its subject (``district_id``
    for control rows); such layers have ``valid_from`` / ``valid_to`` intervals.
    """

    name: str
    format: str  # "geojson" or "csv"
    columns: tuple[Column, ...]
    geometry: tuple[str, ...] = ()
    id_column: str | None = "id"
    history_of: str | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _provenance(precision: bool = False) -> tuple[Column, ...]:
    cols = (
        Column("sources", "sources"),
        Column("confidence", "confidence"),
        Column("note", "text", required=False, max_len=1000),
        Column("audit_note", "text", required=False, max_len=4000),
    )
    if precision:
        return (Column("precision_m", "number"),) + cols
    return cols


def _names() -> tuple[Column, ...]:
    return (
        Column("name", "text", max_len=120),
        Column("name_ar", "text", required=False, max_len=120),
        Column("aliases", "aliases", required=False),
    )


def _labels() -> tuple[Column, ...]:
    """What the map writes on a feature: a short ``label`` and its ``label_rank`` (1 the most
    important; empty for no label). Lower ranks drop first when labels would overlap."""
    return (
        Column("label", "text", required=False, max_len=40),
        Column("label_rank", "int", required=False),
    )


_POLYGONS = ("Polygon", "MultiPolygon")
# ISO 639-1 codes of the languages the sources are written in.
_LANGUAGES = (
    "ar", "bg", "bn", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "id", "it",
    "ja", "ku", "nl", "no", "pl", "pt", "ro", "ru", "sv", "tr", "uk", "ur", "vi", "zh",
)  # fmt: skip
_LINES = ("LineString", "MultiLineString")
_FACTION_OR_STATE = "factions"


def _control(subject: Column) -> tuple[Column, ...]:
    """A control history's columns: the cell it cites, who held it (a faction, or contested
    between two parties) and when."""
    return (
        subject,
        Column("faction", "ref", ref=_FACTION_OR_STATE),
        Column("parties", "refs", required=False, ref=_FACTION_OR_STATE),
        Column("valid_from", "date"),
        Column("valid_to", "date", required=False),
    ) + _provenance()


LAYERS: dict[str, LayerSpec] = {
    s.name: s
    for s in (
        LayerSpec(
            "sources",
            "csv",
            (
                Column("source_id", "id"),
                Column("publisher", "text", max_len=120),
                Column("agency", "text", required=False, max_len=40),
                Column("title", "text", max_len=300),
                Column("published", "pdate", required=False),
                Column("url", "url"),
                Column("read_at", "url", required=False),
                Column("language", "enum", choices=_LANGUAGES),
                Column("outlet_type", "enum", choices=OUTLET_TYPES),
                Column("alignment", "enum", choices=ALIGNMENTS),
                Column("audit_note", "text", required=False, max_len=4000),
            ),
            id_column="source_id",
        ),
        LayerSpec(
            "factions",
            "csv",
            (
                Column("id", "id"),
                Column("kind", "enum", choices=("faction", "state")),
                Column("name", "text", max_len=80),
                Column("name_ar", "text", required=False, max_len=80),
                Column("description", "text", max_len=600),
                Column("backers", "text", required=False, max_len=300),
                Column("colour", "colour"),
                Column("active_from", "date", required=False),
            )
            + _provenance(),
        ),
        LayerSpec(
            "aleppo_districts",
            "geojson",
            (Column("id", "id"),)
            + _names()
            + _labels()
            + (Column("in_city", "bool"), Column("approximate", "bool"))
            + _provenance(precision=True),
            geometry=_POLYGONS,
        ),
        LayerSpec(
            "aleppo_control",
            "csv",
            _control(Column("district_id", "ref", ref="aleppo_districts")),
            id_column=None,
            history_of="district_id",
        ),
        LayerSpec(
            "supply_routes",
            "geojson",
            (Column("id", "id"),)
            + _names()
            + _labels()
            + (Column("approximate", "bool"),)
            + _provenance(precision=True),
            geometry=_LINES,
        ),
        LayerSpec(
            "route_status",
            "csv",
            (
                Column("route_id", "ref", ref="supply_routes"),
                Column("status", "enum", choices=("open", "under_fire", "cut")),
                Column("serves", "ref", ref=_FACTION_OR_STATE),
                Column("valid_from", "date"),
                Column("valid_to", "date", required=False),
            )
            + _provenance(),
            id_column=None,
            history_of="route_id",
        ),
        LayerSpec(
            "sites",
            "geojson",
            (Column("id", "id"),)
            + _names()
            + _labels()
            + (Column("kind", "text", max_len=40),)
            + _provenance(precision=True),
            geometry=("Point",),
        ),
        LayerSpec(
            "events",
            "csv",
            (
                Column("id", "id"),
                Column("date", "date"),
                Column("date_precision", "enum", choices=("day", "month", "year")),
                Column("category", "enum", choices=("military", "diplomatic", "humanitarian")),
                Column("title", "text", max_len=100),
                Column("summary", "text", max_len=600),
                Column("site_id", "ref", required=False, ref="sites"),
                Column("district_id", "ref", required=False, ref="aleppo_districts"),
            )
            + _provenance(),
        ),
        LayerSpec(
            "syria_border",
            "geojson",
            (Column("id", "id"), Column("name", "text", max_len=120)) + _provenance(precision=True),
            geometry=_POLYGONS,
        ),
        LayerSpec(
            "governorates",
            "geojson",
            (Column("id", "id"),) + _names() + _provenance(precision=True),
            geometry=_POLYGONS,
        ),
        LayerSpec(
            "syria_control",
            "geojson",
            (
                Column("id", "id"),
                Column("snapshot_date", "date"),
                Column("faction", "ref", ref=_FACTION_OR_STATE),
            )
            + _provenance(precision=True),
            geometry=_POLYGONS,
        ),
        LayerSpec(
            "towns",
            "geojson",
            (Column("id", "id"),)
            + _names()
            + (Column("geonameid", "int"), Column("population", "int", required=False))
            + _provenance(precision=True),
            geometry=("Point",),
        ),
        LayerSpec(
            "governorate_places",
            "geojson",
            (Column("id", "id"),)
            + _names()
            + (
                Column("geonameid", "int", required=False),
                Column("radius_m", "number"),
                Column("approximate", "bool"),
            )
            + _provenance(precision=True),
            geometry=_POLYGONS,
        ),
        LayerSpec(
            "governorate_control",
            "csv",
            _control(Column("place_id", "ref", ref="governorate_places")),
            id_column=None,
            history_of="place_id",
        ),
        LayerSpec(
            "context_lines",
            "geojson",
            (Column("id", "id"),)
            + _names()
            + _labels()
            + (
                Column("kind", "enum", choices=("river", "road", "outline")),
                Column("approximate", "bool"),
            )
            + _provenance(precision=True),
            geometry=_LINES,
        ),
    )
}


#: The control histories: who held each cell (a city district, a town of the governorate) when.
CONTROL_LAYERS = ("aleppo_control", "governorate_control")


def spec(name: str) -> LayerSpec:
    """Return the specification of layer ``name``.

    Examples
    --------
    >>> spec("aleppo_control").history_of
    'district_id'
    """
    return LAYERS[name]
