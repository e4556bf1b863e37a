"""The store's tables, in SQLAlchemy Core so the same schema runs on SQLite and PostgreSQL.

Each mention table keeps the full JSON of the finding (so nothing is lost) next to a
few flattened columns that the filters and indexes need.
"""
from __future__ import annotations

import sqlalchemy as sa

# 1: documents, readings, mentions. 2: fused events and their members (``frontlines fuse``).
# 3: statements (speech acts: Reading.statements) and their actors.
SCHEMA_VERSION = 3

metadata = sa.MetaData()


def place_columns() -> list[sa.Column]:
    """The flattened place of an event mention or a fused event (new Column objects each
    call: SQLAlchemy binds a column to one table)."""
    return [
        sa.Column("place_name", sa.Text),
        sa.Column("place_kind", sa.String(32)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geonames_id", sa.BigInteger),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("place_country", sa.String(8)),
    ]

def mention_key_columns() -> list[sa.Column]:
    """What an event mention and a statement both begin with: id, document, order, type."""
    return [
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column(
            "document_id", sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),  # order within the reading
        sa.Column("plover", sa.String(32), nullable=False),
        sa.Column("mode", sa.String(64)),
    ]


def span_columns() -> list[sa.Column]:
    """The first evidence span and its sentence, as character offsets into the document."""
    return [
        sa.Column("evidence_start", sa.Integer),
        sa.Column("evidence_end", sa.Integer),
        sa.Column("sentence_start", sa.Integer),
        sa.Column("sentence_end", sa.Integer),
    ]


def actor_link_columns(key: str, parent: str) -> list[sa.Column]:
    """(mention, actor, role) rows: no foreign key to actors, because a reading may name an
    actor id it did not describe."""
    return [
        sa.Column(key, sa.String(128), sa.ForeignKey(f"{parent}.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("actor_id", sa.String(128), primary_key=True),
        sa.Column("role", sa.String(16), primary_key=True),  # actor | target | reported_by
    ]


meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # content hash of text
    sa.Column("title", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("published_basis", sa.String(16), nullable=False),
    sa.Column("origin", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.DateTime, nullable=False),
    sa.Index("ix_documents_published", "published"),
)

readings = sa.Table(
    "readings",
    metadata,
    sa.Column(
        "document_id", sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
    ),
    sa.Column("reader_version", sa.String(64)),
    sa.Column("data", sa.JSON, nullable=False),  # Reading.to_dict()
)

actors = sa.Table(
    "actors",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("sector", sa.String(32)),
    sa.Column("country", sa.String(16)),
    sa.Index("ix_actors_name_lower", sa.func.lower(sa.column("name"))),
)

event_mentions = sa.Table(
    "event_mentions",
    metadata,
    *mention_key_columns(),
    sa.Column("acled_event_type", sa.String(64)),
    sa.Column("acled_sub_event_type", sa.String(128)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("date_value", sa.Date),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("date_expression", sa.Text),
    *place_columns(),
    sa.Column("fatalities", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("rule", sa.Text, nullable=False),
    *span_columns(),
    sa.Column("data", sa.JSON, nullable=False),  # EventMention.to_dict()
    sa.Index("ix_event_mentions_document", "document_id"),
    sa.Index("ix_event_mentions_date", "date_value"),
    sa.Index("ix_event_mentions_plover", "plover"),
    sa.Index("ix_event_mentions_latlon", "lat", "lon"),
)

event_actors = sa.Table(
    "event_actors",
    metadata,
    *actor_link_columns("event_id", "event_mentions"),
    sa.Index("ix_event_actors_actor", "actor_id", "role"),
)

# Statements: speech acts ("X condemned Y", "X demanded that Y ..."), Reading.statements.
# Coded like event mentions but with no date or place of their own: they are dated by the
# document (``documents.published``), so only the columns the filters need are flattened.
statements = sa.Table(
    "statements",
    metadata,
    *mention_key_columns(),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    *span_columns(),
    sa.Column("data", sa.JSON, nullable=False),  # EventMention.to_dict()
    sa.Index("ix_statements_document", "document_id", "position"),
    sa.Index("ix_statements_plover", "plover"),
)

statement_actors = sa.Table(
    "statement_actors",
    metadata,
    *actor_link_columns("statement_id", "statements"),
    sa.Index("ix_statement_actors_actor", "actor_id", "role"),
)

control_claims = sa.Table(
    "control_claims",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column(
        "document_id", sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("place_name", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("controller", sa.String(128)),
    sa.Column("counterpart", sa.String(128)),
    sa.Column("change", sa.String(16), nullable=False),
    sa.Column("date_value", sa.Date),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_control_claims_document", "document_id"),
    sa.Index("ix_control_claims_place", "place_name"),
    sa.Index("ix_control_claims_date", "date_value"),
)

indicators = sa.Table(
    "indicators",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column(
        "document_id", sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("unit", sa.String(64)),
    sa.Column("low", sa.Float),
    sa.Column("high", sa.Float),
    sa.Column("place_name", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("as_of_value", sa.Date),
    sa.Column("as_of_precision", sa.String(8)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_indicators_document", "document_id"),
    sa.Index("ix_indicators_kind_place", "kind", "place_name"),
)

place_mentions = sa.Table(
    "place_mentions",
    metadata,
    sa.Column(
        "document_id", sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("precision", sa.Integer),
    sa.Column("country", sa.String(8)),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("rule", sa.Text),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Index("ix_place_mentions_name", "name"),
    sa.Index("ix_place_mentions_latlon", "lat", "lon"),
)

# Fused events: one row per real-world occurrence (frontlines.fuse), with its members.
# Rewritten, component by component, in the transaction of each new document.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # "evt-" + hash of the first report
    sa.Column("component", sa.String(128), nullable=False),  # compatibility component
    sa.Column("plover", sa.String(32), nullable=False),
    sa.Column("mode", sa.String(64)),
    sa.Column("acled_event_type", sa.String(64)),
    sa.Column("acled_sub_event_type", sa.String(128)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("date_value", sa.Date),
    sa.Column("date_precision", sa.String(8)),
    sa.Column("date_low", sa.Date),  # the span of the windows its reports give
    sa.Column("date_high", sa.Date),
    *place_columns(),
    sa.Column("fatalities_low", sa.Integer),
    sa.Column("fatalities_best", sa.Integer),
    sa.Column("fatalities_high", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("n_mentions", sa.Integer, nullable=False),
    sa.Column("n_documents", sa.Integer, nullable=False),
    sa.Column("n_sources", sa.Integer, nullable=False),
    sa.Column("first_reported", sa.Date),
    sa.Column("last_reported", sa.Date),
    sa.Column("data", sa.JSON, nullable=False),  # FusedEvent.to_dict()
    sa.Index("ix_events_date", "date_value"),
    sa.Index("ix_events_plover", "plover"),
    sa.Index("ix_events_latlon", "lat", "lon"),
    sa.Index("ix_events_sources", "n_sources"),
    sa.Index("ix_events_component", "component"),
    # The map's queries answered from the index alone: a date range in the order the API
    # pages in (no sort of the whole range for a page), its bbox/type/status filters and
    # every column of a brief row (so a view's thousands of dots never read the wide rows).
    sa.Index("ix_events_map", "date_value", "first_reported", "id", "lat", "lon", "plover",
             "status", "n_sources", "mode", "date_precision", "place_name"),
    # The slider's histogram of one type: days in order from the index, no table reads.
    sa.Index("ix_events_plover_date", "plover", "date_value"),
)

event_members = sa.Table(
    "event_members",
    metadata,
    sa.Column(
        "mention_id", sa.String(128),
        sa.ForeignKey("event_mentions.id", ondelete="CASCADE"), primary_key=True,
    ),
    sa.Column(
        "event_id", sa.String(64),
        sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False,
    ),
    sa.Column("document_id", sa.String(64), nullable=False),
    sa.Column("component", sa.String(128), nullable=False),
    sa.Index("ix_event_members_event", "event_id"),
    # An event's members without reading the table: the actor filter probes them per event.
    sa.Index("ix_event_members_event_mention", "event_id", "mention_id"),
    sa.Index("ix_event_members_component", "component"),
)

# The analyst's own places, imported by `frontlines places import` (store/user_places.py).
# One row per (origin file name, name): importing a file again updates its rows in place.
# Not in TABLES: the reader loads them itself, and a database from before this table
# still opens read-only without it.
user_places = sa.Table(
    "user_places",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("origin", sa.Text, nullable=False),  # the file name it was imported from
    sa.Column("name_key", sa.Text, nullable=False),  # casefolded name, unique per origin
    sa.Column("line", sa.Integer, nullable=False),  # CSV line or GeoJSON feature number
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("alt_names", sa.JSON, nullable=False),  # list of names
    sa.Column("parent", sa.Text),
    sa.Column("country", sa.String(8)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("wkt", sa.Text),
    sa.Column("geometry", sa.String(32)),  # GeoJSON type of wkt, or Point for lat/lon only
    sa.Column("source", sa.Text),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("origin", "name_key", name="uq_user_places_origin_name"),
    sa.Index("ix_user_places_kind", "kind"),
)

# Tables in the order rows must be inserted (parents first).
TABLES = (documents, readings, actors, event_mentions, event_actors, statements,
          statement_actors, control_claims, indicators, place_mentions, events, event_members)
