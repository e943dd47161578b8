"""Which SQL of the compiled dbt models would not run, or would give other results, on Spark.

The models are compiled for DuckDB with the variable ``portability_lint`` set, under which every
macro of ``dbt_project/macros/compat/`` renders as a neutral call ``compat__<name>(<arguments>)``
instead of its engine's SQL (macro ``compat_lint``): what remains is the SQL the models write
themselves, which must mean the same on both engines. sqlglot parses it as DuckDB and each rule
below names a construct that Spark lacks or reads differently (docs/scale-out.md, "Portability
rules"). sqlglot itself transpiles most of them without complaint (``unnest`` becomes
``explode``, ``string_split`` becomes a regex ``split``): a silent rewrite is no proof that the
text runs on Spark, so the rules look at the DuckDB tree.

    uv run python -m tools.sql_portability <dbt target folder>/compiled/roundabout/models
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB

COMPAT_PREFIX = "compat__"

# Spark SQL functions that have no pyspark.sql.functions twin of the same name (the Python API
# is the list of the builtins this check reads without starting a JVM; these are SQL syntax).
SPARK_SQL_ONLY = {
    "cast", "try_cast", "if", "nvl", "nvl2", "ifnull", "position", "extract", "date_part",
    "any", "some", "every", "mod", "decode", "coalesce", "nullif", "left", "right", "substr",
    "row_number", "rank", "dense_rank", "lag", "lead", "percent_rank", "ntile", "cume_dist",
    "first_value", "last_value", "nth_value", "count", "sum", "avg", "min", "max", "round",
    "struct", "named_struct", "array", "map", "current_date", "current_timestamp", "case",
    "percentile_cont", "percentile_disc", "stddev", "string_agg", "listagg", "bool_or",
    "bool_and", "regexp_like", "in", "exists",
}  # fmt: skip

# Unicode and POSIX character classes: RE2 (DuckDB) and java.util.regex (Spark) spell and
# scope them differently ([[:alpha:]] is RE2 only; \w is ASCII in both unless flagged).
REGEX_CLASS = re.compile(r"\[\[:|\\[pP]\{")
REGEX_META = re.compile(r"[.^$|?*+()\[\]{}\\]")
# Type names Spark lacks (its text type is STRING; VARCHAR needs a length there). sqlglot maps
# them all to its own types, so they are looked for in the text.
# dbt.type_string() renders TEXT (upper case) on DuckDB and string on Spark: that one is left.
DUCKDB_TYPES = re.compile(
    r"(?:::|\b[aA][sS]\s+)((?i:varchar|hugeint|uhugeint|ubigint|uinteger|usmallint|utinyint"
    r"|uuid|interval|time|timestamp_ns|timestamp_ms|timestamp_s|blob|json)|(?!TEXT)(?i:text))"
    r"\b(?!\s*\()"
)
# `* exclude (...)` and `* replace (...)` (sqlglot's argument names vary between versions).
STAR_MODIFIERS = ("except", "except_", "replace")
COMMENT = re.compile(r"/\*.*?\*/|--[^\n]*", re.DOTALL)


@cache
def spark_functions() -> frozenset[str]:
    import pyspark.sql.functions as spark_sql

    names = {name.lower() for name in dir(spark_sql) if not name.startswith("_")}
    return frozenset(names | SPARK_SQL_ONLY)


class _SparkNullOrder(DuckDB):
    """DuckDB's grammar with Spark's default NULL order (NULLs first when ascending), to tell
    an ORDER BY key that states its NULL order from one that relies on the engine's default."""

    NULL_ORDERING = "nulls_are_small"


@dataclass(frozen=True)
class Violation:
    model: str
    construct: str
    sql: str

    def __str__(self) -> str:
        return f"{self.model}: {self.construct}: {self.sql}"


def _snippet(node: exp.Expression) -> str:
    text = " ".join(node.sql(dialect="duckdb").split())
    return text if len(text) <= 120 else text[:117] + "..."


def _function_name(node: exp.Func) -> str | None:
    """The name DuckDB spells the call with, or None for syntax that is not a call."""
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    match = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\(", node.sql(dialect="duckdb"))
    return match.group(1).lower() if match else None


def _literal_text(node: exp.Expression | None) -> str | None:
    return node.this if isinstance(node, exp.Literal) and node.is_string else None


def _safe_division(div: exp.Div) -> bool:
    """The divisor cannot be zero where the division runs: a constant, ``nullif(x, 0)``, or a
    division inside a CASE whose conditions test every column of the divisor (the project's
    ``safe_divide`` and ``growth`` macros write it so)."""
    divisor = div.expression
    while isinstance(divisor, exp.Paren | exp.Cast):
        divisor = divisor.this
    if isinstance(divisor, exp.Nullif):
        return _is_zero(divisor.expression)
    if isinstance(divisor, exp.Case):
        values = [branch.args.get("true") for branch in divisor.args.get("ifs") or []]
        values.append(divisor.args.get("default"))
        if all(v is not None and not v.find(exp.Column) and not _is_zero(v) for v in values):
            return True
    columns = {column.sql() for column in divisor.find_all(exp.Column)}
    if not columns:
        return not _is_zero(divisor)
    tested: set[str] = set()
    for case in _ancestors(div, exp.Case):
        for branch in case.args.get("ifs") or []:
            tested |= {column.sql() for column in branch.this.find_all(exp.Column)}
    return columns <= tested


def _ancestors(node: exp.Expression, kind: type) -> Iterator[exp.Expression]:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kind):
            yield parent
        parent = parent.parent


def _is_zero(node: exp.Expression) -> bool:
    while isinstance(node, exp.Paren | exp.Cast):
        node = node.this
    return isinstance(node, exp.Literal) and not node.is_string and float(node.this) == 0


def _checks(tree: exp.Expression) -> Iterator[tuple[str, exp.Expression]]:
    for node in tree.walk():
        if isinstance(node, exp.Unnest | exp.Explode):
            yield "unnest (DuckDB only; Spark explodes in the select list)", node
        elif isinstance(node, exp.SetOperation) and node.args.get("by_name"):
            yield "union by name (DuckDB only)", node
        elif isinstance(node, exp.Star) and any(node.args.get(k) for k in STAR_MODIFIERS):
            yield "* exclude / * replace (DuckDB only)", node
        elif isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
            yield "[not] materialized CTE (DuckDB only)", node
        elif isinstance(node, exp.Lambda):
            yield "lambda (list_* functions are DuckDB only)", node.parent or node
        elif isinstance(node, exp.Bracket):
            yield "list index [i] (1-based on DuckDB, 0-based on Spark)", node
        elif isinstance(node, exp.Split):
            sep = _literal_text(node.expression)
            if sep is None or REGEX_META.search(sep) or _function_name(node) != "split":
                yield "string_split (split takes a regex on Spark)", node
        elif isinstance(node, exp.GroupConcat | exp.ArrayAgg) and node.find(exp.Order):
            yield "ordered string_agg / listagg (Spark drops the order)", node
        elif type(node) is exp.Concat:  # concat_ws skips NULLs on both engines
            yield "concat() (skips NULLs on DuckDB, NULL on Spark)", node
        elif isinstance(node, exp.Div) and not _safe_division(node):
            yield "division by a column (x/0 is inf on DuckDB, an error on Spark)", node
        elif isinstance(node, exp.JSONExtract | exp.JSONExtractScalar):
            yield "json -> / ->> (DuckDB only)", node
        elif isinstance(node, exp.Trim) and node.expression is not None:
            yield "trim(s, characters) (Spark's two-argument trim reads them reversed)", node
        elif isinstance(node, exp.RegexpReplace):
            yield "regexp_replace (first match on DuckDB, every match on Spark; flags)", node
        elif isinstance(node, exp.RegexpExtract | exp.RegexpExtractAll) and (
            node.args.get("group") is None
        ):
            yield "regexp_extract without a group (0 on DuckDB, 1 on Spark)", node
        elif (
            isinstance(node, exp.Literal)
            and node.is_string
            and "\\" in node.this
            and not _compat_argument(node)
        ):
            yield (
                "backslash in a literal (Spark reads '\\.' as '.'; pass it to a compat macro)",
                node,
            )
        elif isinstance(node, exp.Func):
            name = _function_name(node)
            if name and not name.startswith(COMPAT_PREFIX) and name not in spark_functions():
                yield f"{name}() (not a Spark function)", node
            if isinstance(
                node, exp.RegexpLike | exp.RegexpExtract | exp.RegexpExtractAll | exp.RegexpReplace
            ):
                pattern = _literal_text(node.expression)
                if pattern and REGEX_CLASS.search(pattern):
                    yield "regex character class (RE2 and Java spell them differently)", node


def _compat_argument(node: exp.Expression) -> bool:
    parent = node.parent
    return isinstance(parent, exp.Anonymous) and parent.name.lower().startswith(COMPAT_PREFIX)


def _null_order_defaults(sql: str) -> Iterator[exp.Ordered]:
    """ORDER BY keys whose NULL order comes from the engine's default (NULLs last on DuckDB,
    first on Spark when ascending)."""
    for duck, spark in zip(
        sqlglot.parse(sql, read="duckdb"), sqlglot.parse(sql, read=_SparkNullOrder), strict=True
    ):
        pairs = zip(duck.find_all(exp.Ordered), spark.find_all(exp.Ordered), strict=True)
        for a, b in pairs:
            if bool(a.args.get("nulls_first")) != bool(b.args.get("nulls_first")):
                yield a


def lint_sql(model: str, sql: str) -> list[Violation]:
    found = []
    try:
        trees = sqlglot.parse(sql, read="duckdb")
    except sqlglot.errors.ParseError as error:
        return [Violation(model, "does not parse as SQL", str(error).splitlines()[0])]
    for tree in trees:
        if tree is not None:
            found += [Violation(model, what, _snippet(node)) for what, node in _checks(tree)]
    found += [
        Violation(model, f"type {match.group(1).lower()} (not a Spark type)", match.group(0))
        for match in DUCKDB_TYPES.finditer(COMMENT.sub(" ", sql))
    ]
    found += [
        Violation(model, "ORDER BY without NULLS FIRST/LAST (defaults differ)", _snippet(node))
        for node in _null_order_defaults(sql)
    ]
    return found


def compiled_models(folder: Path) -> Iterator[tuple[str, Path]]:
    """The compiled model files under dbt's ``compiled/<project>/models`` (tests compiled from
    the YAML files sit in folders named after them and are left out)."""
    for path in sorted(folder.rglob("*.sql")):
        if not any(part.endswith(".yml") for part in path.relative_to(folder).parts):
            yield path.stem, path


def lint_folder(folder: Path) -> list[Violation]:
    found = []
    for model, path in compiled_models(folder):
        found += lint_sql(model, path.read_text(encoding="utf-8"))
    return found


def inventory(violations: list[Violation]) -> str:
    by_construct = Counter(v.construct for v in violations)
    models = {v.model for v in violations}
    lines = [f"{len(violations)} findings in {len(models)} models"]
    lines += [f"  {count:4d}  {construct}" for construct, count in by_construct.most_common()]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    violations = lint_folder(Path(argv[0]))
    for violation in violations:
        print(violation)
    print(inventory(violations))
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
