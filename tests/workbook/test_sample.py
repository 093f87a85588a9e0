"""Tests for arbook.workbook.sample: determinism, clean references and the behaviour mix of the
data."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from arbook.workbook.sample import make_sample

END = pd.Timestamp("2026-10-31")
MONEY = re.compile(r"^-?\d+\.\d{2}$")


def read(paths: dict) -> dict[str, pd.DataFrame]:
    """Read the written CSVs as text (blank cells as ""), as a user's loader would see them."""
    return {k: pd.read_csv(p, dtype=str, keep_default_na=False) for k, p in paths.items()}


def cents(amounts: pd.Series) -> pd.Series:
    """'1234.50' -> 123450, '-0.07' -> -7: exact, no float on the way."""
    return amounts.str.replace(".", "", regex=False).astype("int64")


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    return make_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def book(paths):
    return read(paths)


@pytest.fixture(scope="module")
def allocated(book):
    """Invoices with the sum and count of payment rows allocated to them."""
    inv, pay = book["invoices"], book["payments"]
    rows = pay[pay.invoice_id != ""].assign(c=lambda f: cents(f.amount))
    sums = rows.groupby("invoice_id").c.agg(paid="sum", rows="count")
    out = inv.assign(c=cents(inv.amount)).set_index("invoice_id").join(sums)
    return out.fillna({"paid": 0, "rows": 0}).astype({"paid": "int64", "rows": "int64"})


def test_same_seed_same_bytes_other_seed_differs(tmp_path, paths):
    again = make_sample(tmp_path / "again")
    other = make_sample(tmp_path / "other", seed=1)
    for name in ("invoices", "payments", "customers"):
        assert again[name].read_bytes() == paths[name].read_bytes()
        assert other[name].read_bytes() != paths[name].read_bytes()


def test_parquet_is_deterministic(tmp_path):
    a = make_sample(tmp_path / "a", customers=30, months=6, fmt="parquet")
    b = make_sample(tmp_path / "b", customers=30, months=6, fmt="parquet")
    assert all(a[k].read_bytes() == b[k].read_bytes() for k in a)


def test_default_sizes_and_small_enough_to_commit(paths, book):
    # 150 customers x 25 a year x 2 years = 7,500 documents
    assert len(book["invoices"]) == 7_500
    assert len(book["customers"]) == 150
    assert 6_000 <= len(book["payments"]) <= 9_000
    assert sum(p.stat().st_size for p in paths.values()) < 2_000_000
    assert set(paths) == {"invoices", "payments", "customers"}


def test_explicit_invoice_count_is_honoured(tmp_path):
    book = read(make_sample(tmp_path, customers=500, invoices=20_000))
    assert 19_800 <= len(book["invoices"]) <= 20_200
    assert len(book["customers"]) == 500
    assert book["invoices"].invoice_id.is_unique


def test_columns_and_formats(book):
    inv, pay, cust = book["invoices"], book["payments"], book["customers"]
    assert list(inv.columns) == [
        "invoice_id",
        "customer_id",
        "invoice_date",
        "due_date",
        "amount",
        "applies_to",
        "currency",
        "disputed",
    ]
    assert list(pay.columns) == [
        "payment_id",
        "customer_id",
        "payment_date",
        "amount",
        "invoice_id",
    ]
    assert list(cust.columns) == [
        "customer_id",
        "name",
        "credit_limit",
        "terms_days",
        "email",
        "phone",
        "language",
        "contact",
        "segment",
    ]
    assert inv.invoice_id.str.fullmatch(r"INV-\d{6}").all()
    assert pay.payment_id.str.fullmatch(r"PAY-\d{7}").all()
    assert cust.customer_id.str.fullmatch(r"C\d{4}").all()
    for amounts in (inv.amount, pay.amount, cust.credit_limit[cust.credit_limit != ""]):
        assert amounts.str.fullmatch(MONEY.pattern).all()
    for dates in (inv.invoice_date, inv.due_date[inv.due_date != ""], pay.payment_date):
        assert dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (inv.currency == "").all()
    assert set(inv.disputed) == {"yes", "no"}


def test_ids_unique_and_references_clean(book):
    inv, pay, cust = book["invoices"], book["payments"], book["customers"]
    assert inv.invoice_id.is_unique and cust.customer_id.is_unique
    assert set(inv.customer_id) <= set(cust.customer_id)
    owner = inv.set_index("invoice_id").customer_id
    applied = pay[pay.invoice_id != ""]
    assert applied.invoice_id.isin(owner.index).all()
    assert (owner[applied.invoice_id].to_numpy() == applied.customer_id.to_numpy()).all()
    # one receipt = one customer on one day
    assert (pay.groupby("payment_id")[["customer_id", "payment_date"]].nunique() == 1).all().all()


def test_payments_between_invoice_date_and_end(book):
    inv, pay = book["invoices"], book["payments"]
    dates = pd.to_datetime(pay.payment_date)
    assert (cents(pay.amount) > 0).all()
    assert dates.max() <= END
    applied = pay[pay.invoice_id != ""]
    issued = pd.to_datetime(inv.set_index("invoice_id").invoice_date[applied.invoice_id])
    assert (pd.to_datetime(applied.payment_date).to_numpy() >= issued.to_numpy()).all()


def test_allocations_never_exceed_amount_but_for_a_handful_of_overpayments(allocated):
    invoices = allocated[allocated.c > 0]
    over = invoices[invoices.paid > invoices.c]
    assert 1 <= len(over) <= 15
    assert ((over.paid - over.c) <= 2_500).all()  # slightly above: at most 25.00


def test_partial_payments_sum_to_at_most_the_invoice(allocated):
    split = allocated[allocated.rows >= 2]
    assert len(split) >= 20
    assert (split.paid <= split.c).all()
    assert (split.paid == split.c).any()  # some instalment plans completed exactly


def test_credit_notes_with_and_without_applies_to(book):
    inv = book["invoices"].assign(c=lambda f: cents(f.amount))
    credits = inv[inv.c < 0]
    assert 0.01 * len(inv) <= len(credits) <= 0.03 * len(inv)
    applied = credits[credits.applies_to != ""]
    standalone = credits[credits.applies_to == ""]
    assert len(standalone) > 0 and len(applied) > 2 * len(standalone)
    target = inv.set_index("invoice_id").loc[applied.applies_to]
    assert (target.customer_id.to_numpy() == applied.customer_id.to_numpy()).all()
    assert (-applied.c.to_numpy() <= target.c.to_numpy()).all()
    assert (applied.invoice_date.to_numpy() >= target.invoice_date.to_numpy()).all()
    assert (inv[inv.applies_to != ""].c < 0).all()


def test_blank_due_dates_and_terms(book):
    inv, cust = book["invoices"], book["customers"]
    blank = inv.due_date == ""
    assert 0.01 * len(inv) <= blank.sum() <= 0.05 * len(inv)
    terms = cust.set_index("customer_id").terms_days.astype(int)
    dated = inv[~blank]
    days = (pd.to_datetime(dated.due_date) - pd.to_datetime(dated.invoice_date)).dt.days
    assert (days.to_numpy() == terms[dated.customer_id].to_numpy()).all()
    assert set(terms) <= {15, 30, 45, 60} and (terms == 30).mean() > 0.5


def test_customers_look_real(book):
    cust = book["customers"]
    assert cust.name.is_unique
    ru, es = cust[cust.language == "ru"], cust[cust.language == "es"]
    assert ru.name.str.contains(r"[А-Яа-яЁё]").all() and len(ru) > 10
    assert es.name.str.contains(r"[ñáéíóúÁÉÍÓÚÑ]").any() and len(es) > 10
    assert set(cust.language) == {"en", "es", "ru"}
    assert cust.email.str.fullmatch(r"[a-z.]+\.c\d{4}@example\.(com|es|ru)").all()
    blank_limit = (cust.credit_limit == "").mean()
    assert 0.08 <= blank_limit <= 0.35
    assert set(cust.segment) <= {"retail", "wholesale", "services", "public"}


def test_distinct_names_for_many_customers(tmp_path):
    book = read(make_sample(tmp_path, customers=20_000, invoices=20_000, months=1))
    assert book["customers"].name.is_unique
    assert book["customers"].customer_id.iloc[-1] == "C20000"


def test_unapplied_cash_and_disputes(book, allocated):
    pay = book["payments"]
    unapplied = (pay.invoice_id == "").sum()
    assert 0.002 * len(pay) <= unapplied <= 0.01 * len(pay)
    disputed = allocated[allocated.disputed == "yes"]
    assert 0.02 * len(allocated) <= len(disputed) <= 0.04 * len(allocated)
    assert (disputed.paid == 0).mean() > (allocated.paid == 0).mean()


def test_exactly_one_regular_customer_stops_paying(book, allocated):
    """Customers with 10+ unpaid invoices older than 60 days and no payment in the last 150
    days: only the one that went bad, and it is one of the largest balances."""
    pay = book["payments"]
    last_paid = pd.to_datetime(pay.groupby("customer_id").payment_date.max())
    old_unpaid = allocated[
        (allocated.paid == 0)
        & (allocated.c > 0)
        & (pd.to_datetime(allocated.invoice_date) < END - pd.Timedelta(days=60))
    ]
    stale = last_paid[last_paid <= END - pd.Timedelta(days=150)].index
    counts = old_unpaid.customer_id.value_counts()
    gone_bad = [c for c in stale if counts.get(c, 0) >= 10]
    assert len(gone_bad) == 1
    open_balance = (allocated.c - allocated.paid).groupby(allocated.customer_id).sum()
    assert gone_bad[0] in open_balance.nlargest(3).index


def test_recent_invoices_still_open(allocated):
    last_month = allocated[pd.to_datetime(allocated.invoice_date) > END - pd.Timedelta(days=30)]
    assert (last_month[last_month.c > 0].paid == 0).mean() > 0.8


def test_parquet_round_trips_to_the_csv_values(tmp_path):
    csv = read(make_sample(tmp_path / "csv", customers=40, months=12))
    parquet = make_sample(tmp_path / "pq", customers=40, months=12, fmt="parquet")
    for name, path in parquet.items():
        table = pq.read_table(path)
        for field in table.schema:
            if field.name in ("amount", "credit_limit"):
                assert field.type == pa.decimal128(18, 2)
            elif field.name.endswith("_date"):
                assert field.type == pa.date32()
            elif field.name != "terms_days":
                assert field.type == pa.string()
        # Decimal('1234.50') -> '1234.50', date -> ISO, null -> blank: exactly the CSV cells
        as_text = {
            c: ["" if v is None else str(v) for v in table.column(c).to_pylist()]
            for c in table.column_names
        }
        pd.testing.assert_frame_equal(pd.DataFrame(as_text), csv[name], check_dtype=False)


@pytest.mark.parametrize(
    "kwargs, says",
    [
        ({"fmt": "xlsx"}, "xlsx"),
        ({"end": "2026-10-30"}, "last day of a month"),
        ({"customers": 0}, "at least 1"),
    ],
)
def test_bad_arguments_raise(tmp_path, kwargs, says):
    with pytest.raises(ValueError, match=says):
        make_sample(tmp_path, **kwargs)
