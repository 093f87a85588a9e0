"""Where the rules run: the engines, and the ledger tables each is given (a :class:`Source`).

``source(engine, data=None, *, db=None, policy=None)``:

- ``data`` a :class:`~arbook.core.ledger.Ledger`: its validated frames registered in the engine
  (what ``engine=`` on :func:`arbook.measures.aging.aging` and friends does);
- ``data`` a folder (DuckDB, Spark): its canonical Parquet files read lazily, never whole into
  memory: ``invoices.parquet`` and ``payments.parquet`` (and ``customers.parquet``), or folders
  ``invoices/``, ``payments/`` of part files;
- ``db`` a SQLAlchemy-style URL (PostgreSQL): the tables ``invoices`` and ``payments`` (and
  ``customers``) in that database.

Raw tables have SPEC §1's columns (``amount`` in currency units, or ``amount_cents``) and are
linked by the rules validation applies (:func:`arbook.engines.expressions.ledger_tables`). An
engine reading raw tables does not report bad cells as ``arbook check`` does; it refuses
duplicate invoice ids and more than one currency, which would change the totals.
"""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from arbook.core.config import Policy, resolve_policy
from arbook.core.errors import DataError, ParameterError
from arbook.core.i18n import _
from arbook.core.ledger import Ledger
from arbook.core.policy_file import POLICY_FILE

#: The engines, in the order they are offered; "memory" is arbook's own in-memory path.
ENGINES = ("memory", "duckdb", "postgres", "spark")
#: The raw tables a source reads, the first two required.
TABLES = ("invoices", "payments", "customers")


def check_engine(engine: object, flag: str = "engine") -> str:
    """``engine`` as a name of :data:`ENGINES` (None: "memory"); else a ParameterError naming
    ``flag`` (``engine`` in Python, ``--engine`` on the command line)."""
    if engine is None or engine == "":
        return "memory"
    if engine not in ENGINES:
        said = _("{flag} {value} is not an engine; the engines are: {engines}")
        raise ParameterError(said.format(flag=flag, value=repr(engine), engines=", ".join(ENGINES)))
    return str(engine)


@dataclass(frozen=True, eq=False)
class Source:
    """Ledger tables in an engine: ``invoices`` and ``payments`` as
    :mod:`arbook.engines.expressions` reads them, ``names`` (``customer_id, name``) or None,
    the ``policy`` whose rules (aging basis, edges, terms) apply, ``first_day`` (the earliest
    invoice, a day number; None without invoices) and where the data came from."""

    engine: str
    con: Any = field(repr=False)
    invoices: Any = field(repr=False)
    payments: Any = field(repr=False)
    names: Any = field(repr=False)
    policy: Policy
    where: str
    #: the validated ledger it was made from, when it was made from one
    ledger: Ledger | None = field(default=None, repr=False)


def _ibis() -> Any:
    try:
        import ibis
    except ImportError as exc:  # an install without the engines extra
        raise ParameterError(
            _("the engines need ibis-framework: pip install 'arbook[engines]' ({error})").format(
                error=exc
            )
        ) from None
    return ibis


def connect(engine: str, db: str | None = None) -> Any:
    """An Ibis connection to ``engine`` (``db``: PostgreSQL's URL). DuckDB is embedded and
    new each time; Spark runs in local mode, one session per process."""
    engine = check_engine(engine)
    ibis = _ibis()
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "postgres":
        if not db:
            raise ParameterError(
                _("the {engine} engine needs a database: {flag} URL").format(
                    engine="postgres", flag="--db"
                )
            )
        return _postgres(ibis, db)
    if engine == "spark":
        return ibis.pyspark.connect(spark_session())
    raise ParameterError(
        _("{engine} is arbook's own path, not an engine to connect to").format(engine=engine)
    )


def _postgres(ibis: Any, db: str) -> Any:
    url = db.replace("postgresql+psycopg://", "postgres://").replace(
        "postgresql+psycopg2://", "postgres://"
    )
    url = url.replace("postgresql://", "postgres://")
    try:
        con = ibis.connect(url)
    except Exception as exc:  # noqa: BLE001 - any driver's refusal becomes one line for the user
        raise ParameterError(
            _("{flag} {url}: cannot connect to the database ({error})").format(
                flag="--db", url=_hidden(db), error=str(exc).strip().splitlines()[0]
            )
        ) from None
    _analyse_small_tables(con)
    return con


def _analyse_small_tables(con: Any) -> None:
    """Give PostgreSQL statistics for the small tables Ibis sends with a query (the as-of
    dates): it stores them as temporary tables, which are never analysed on their own, and
    the planner's guess of their size then turns the cross join with the ledger into a plan
    that ran for minutes at 1M invoices (12-18 s once analysed). Ibis's hook is private: an
    Ibis without it runs the queries as they are."""
    register = getattr(con, "_register_in_memory_table", None)
    if register is None:
        return

    def register_and_analyse(op: Any) -> None:
        register(op)
        with con.con.cursor() as cursor:
            cursor.execute(f'ANALYZE "{op.name}"')

    con._register_in_memory_table = register_and_analyse


def _hidden(url: str) -> str:
    """The URL with its password replaced by ***."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _slash, login = head.partition("//")
    user = login.split(":", 1)[0]
    return f"{scheme}//{user}:***@{tail}"


@functools.cache
def spark_session() -> Any:
    """The process's local Spark session (2 cores, the system's Java), made once."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ParameterError(_("the spark engine needs Java (e.g. Debian's default-jre-headless)"))
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ParameterError(
            _("the spark engine needs pyspark: pip install 'arbook[engines]' ({error})").format(
                error=exc
            )
        ) from None
    return (
        SparkSession.builder.master("local[2]")
        .appName("arbook")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )


def source(
    engine: str,
    data: Ledger | str | os.PathLike[str] | None = None,
    *,
    db: str | None = None,
    policy: Any = None,
    con: Any = None,
) -> Source:
    """The ledger tables of ``data`` (a Ledger, or a folder of canonical Parquet files) or of
    the database ``db``, in ``engine`` (see the module's docstring). ``policy``: the rules to
    apply (default: the ledger's; for raw tables the folder's ``policy.toml``, else arbook's
    defaults). ``con``: an Ibis connection to reuse."""
    engine = check_engine(engine)
    if engine == "memory":
        raise ParameterError(
            _("{engine} is arbook's own path: read the data with read_ledger").format(engine=engine)
        )
    if isinstance(data, Ledger):
        if db is not None and engine != "postgres":
            raise ParameterError(_("{flag} is for the postgres engine").format(flag="--db"))
        return from_ledger(engine, data, con=con or connect(engine, db), policy=policy)
    if db is not None:
        if engine != "postgres":
            raise ParameterError(_("{flag} is for the postgres engine").format(flag="--db"))
        if data is not None:
            raise ParameterError(_("give the data folder or {flag}, not both").format(flag="--db"))
        return _from_tables(engine, con or connect(engine, db), None, policy, _hidden(db))
    if data is None:
        raise ParameterError(_("give the data folder or {flag}").format(flag="--db"))
    if engine == "postgres":
        raise ParameterError(
            _("the {engine} engine reads tables in a database: {flag} URL").format(
                engine=engine, flag="--db"
            )
        )
    folder = Path(data)
    return _from_tables(engine, con or connect(engine), folder, policy, str(folder))


def from_ledger(engine: str, ledger: Ledger, *, con: Any, policy: Any = None) -> Source:
    """A validated ledger's frames as ledger tables in ``con`` (links as validation resolved
    them; amounts in book currency, as the in-memory path ages them)."""
    ibis = _ibis()
    inv, pay, a = ledger.invoices, ledger.payments, ledger.arrays
    months = {
        "inv_month": _months(inv["invoice_date"]),
        "due_month": _months(inv["due_date"]),
    }
    invoices = pd.DataFrame(
        {
            "invoice_id": inv["invoice_id"].astype("str").to_numpy(dtype=object),
            "customer_id": inv["customer_id"].astype("str").to_numpy(dtype=object),
            "inv_day": a.inv_day,
            "due_day": a.due_day,
            **months,
            "amount_cents": a.amount,
            "applied_invoice_id": _text(inv["applied_invoice_id"]),
            "disputed": a.disputed,
        }
    )
    payments = pd.DataFrame(
        {
            "payment_id": pay["payment_id"].astype("str").to_numpy(dtype=object),
            "customer_id": pay["customer_id"].astype("str").to_numpy(dtype=object),
            "pay_day": a.pay_day,
            "pay_month": _months(pay["payment_date"]),
            "amount_cents": a.pay_amount,
            "allocated_invoice_id": _text(pay["allocated_invoice_id"]),
        }
    )
    names = ledger.customers[["customer_id", "name"]]
    names = pd.DataFrame({"customer_id": _text(names["customer_id"]), "name": _text(names["name"])})
    schemas = {
        "invoices": {
            "invoice_id": "string",
            "customer_id": "string",
            "inv_day": "int64",
            "due_day": "int64",
            "inv_month": "int64",
            "due_month": "int64",
            "amount_cents": "int64",
            "applied_invoice_id": "string",
            "disputed": "boolean",
        },
        "payments": {
            "payment_id": "string",
            "customer_id": "string",
            "pay_day": "int64",
            "pay_month": "int64",
            "amount_cents": "int64",
            "allocated_invoice_id": "string",
        },
        "names": {"customer_id": "string", "name": "string"},
    }
    frames = {"invoices": invoices, "payments": payments, "names": names}
    tables = {k: ibis.memtable(_arrow(v, schemas[k])) for k, v in frames.items()}
    return Source(
        engine,
        con,
        tables["invoices"],
        tables["payments"],
        tables["names"],
        resolve_policy(policy if policy is not None else ledger.policy),
        ledger.source or "frames",
        ledger=ledger,
    )


def _arrow(frame: pd.DataFrame, schema: dict[str, str]) -> Any:
    """``frame`` as an Arrow table of ``schema`` (text columns' missing values as nulls, which
    every engine's upload reads as NULL; a pandas NaN in a text column would reach Spark as the
    text "NaN")."""
    import pyarrow as pa

    kinds = {"string": pa.string(), "int64": pa.int64(), "boolean": pa.bool_()}
    return pa.table(
        {
            name: pa.array(frame[name].to_numpy(), type=kinds[kind], from_pandas=True)
            for name, kind in schema.items()
        }
    )


def _months(dates: pd.Series) -> Any:
    import numpy as np

    return dates.to_numpy().astype("datetime64[M]").astype(np.int64)


def _text(values: pd.Series) -> Any:
    """Text values as Python objects, missing as None (what every engine's upload reads)."""
    objects = values.astype(object)
    return objects.where(objects.notna(), None).to_numpy(dtype=object)


def _from_tables(engine: str, con: Any, folder: Path | None, policy: Any, where: str) -> Source:
    """Raw canonical tables (a Parquet folder, or a database's tables) as a checked Source."""
    from arbook.engines import expressions

    if folder is not None and (policy is None or policy == "") and (folder / POLICY_FILE).is_file():
        policy = folder / POLICY_FILE
    rules = resolve_policy(policy)
    raw = {name: _raw_table(con, engine, folder, name, where) for name in TABLES}
    for name in ("invoices", "payments"):
        if raw[name] is None:
            raise DataError(_("{where}: no {table} table").format(where=where, table=name))
    invoices, payments = expressions.ledger_tables(
        raw["invoices"], raw["payments"], raw["customers"], rules
    )
    customers = raw["customers"]
    names = None
    if customers is not None and "name" in customers.columns:
        names = customers.select(
            customer_id=customers.customer_id.cast("string"), name=customers.name.cast("string")
        )
    _refuse(con, raw, engine, where)
    return Source(engine, con, invoices, payments, names, rules, where)


def _raw_table(con: Any, engine: str, folder: Path | None, name: str, where: str) -> Any:
    """One raw table, its column names in lower case; None when the data has none."""
    if folder is None:
        try:
            if name not in con.list_tables():
                return None
            table = con.table(name)
        except Exception as exc:  # noqa: BLE001 - the database's refusal, said in one line
            raise DataError(
                _("{where}: cannot read table {table} ({error})").format(
                    where=where, table=name, error=str(exc).strip().splitlines()[0]
                )
            ) from None
    else:
        path = _parquet_path(folder, name)
        if path is None:
            return None
        table = con.read_parquet(path, table_name=f"arbook_{name}_{abs(hash(str(folder)))}")
    lower = {c: c.lower() for c in table.columns if c != c.lower()}
    return table.rename({v: k for k, v in lower.items()}) if lower else table


def parquet_folder(path: Path) -> bool:
    """Whether ``path`` is a folder of canonical Parquet files an engine reads itself."""
    return path.is_dir() and _parquet_path(path, "invoices") is not None


def _parquet_path(folder: Path, name: str) -> str | None:
    if not folder.is_dir():
        raise DataError(_("{path}: no such folder").format(path=folder))
    single = folder / f"{name}.parquet"
    if single.is_file():
        return str(single)
    parts = folder / name
    if parts.is_dir() and any(parts.glob("*.parquet")):
        return str(parts / "*.parquet")
    return None


def _refuse(con: Any, raw: dict[str, Any], engine: str, where: str) -> None:
    """Refuse what the engine cannot age exactly: duplicate invoice ids (validation keeps the
    first; which is first is not known to an engine) and more than one currency (SPEC §8)."""
    ibis = _ibis()
    inv, pay = raw["invoices"], raw["payments"]
    row = con.execute(inv.aggregate(rows=inv.count(), ids=inv.invoice_id.nunique())).iloc[0]
    currencies = []
    for table in (inv, pay):
        if "currency" in table.columns:
            codes = table.currency.cast("string").strip().upper()
            currencies.append(table.select(code=ibis.ifelse(codes == "", None, codes)))
    if currencies:
        codes = currencies[0] if len(currencies) == 1 else currencies[0].union(currencies[1])
        if int(con.execute(codes.code.nunique())) > 1:
            raise ParameterError(currency_refusal(engine))
    if int(row["rows"]) != int(row["ids"]):
        raise DataError(
            _(
                "{where}: {count} invoice rows repeat an invoice_id; the {engine} engine needs "
                "each invoice once (arbook check lists them)"
            ).format(where=where, count=int(row["rows"]) - int(row["ids"]), engine=engine)
        )


def currency_refusal(engine: str) -> str:
    return _(
        "engine {engine} does not yet convert currencies; use the in-memory path (no engine)"
    ).format(engine=engine)
