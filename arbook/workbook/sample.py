"""A deterministic generator of a small business's receivables, for samples and benchmarks.

:func:`make_sample` writes the three canonical ledger files of SPEC §1 (invoices, payments,
customers) as CSV or Parquet. The data is clean (unique ids, every reference names a document of
the same customer) but behaves like a real book: prompt, slow and chronically late payers, a few
who pay in instalments, disputed invoices paid late or never, credit notes, unapplied cash, a
handful of overpayments, and exactly one large customer that stops paying six months before the
end. Everything is vectorized numpy, so a million invoices take seconds; money is int64 cents
from the first draw to the file and is written through pyarrow's decimal128(18, 2), so no float
ever carries an amount. The same seed and arguments give byte-identical files.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from arbook.core.policy_file import POLICY_FILE

__all__ = ["make_sample"]

DECIMAL = pa.decimal128(18, 2)
INVOICES_PER_CUSTOMER_YEAR = 25
CREDIT_SHARE, APPLIED_CREDIT_SHARE = 0.02, 0.8
BLANK_DUE_SHARE, DISPUTED_SHARE, UNAPPLIED_SHARE = 0.03, 0.03, 0.005
GOES_BAD_DAYS = 182  # the bad customer pays nothing dated in the last ~6 months

TERMS, TERMS_P = np.array([30, 15, 45, 60]), [0.70, 0.10, 0.12, 0.08]
SEGMENTS = np.array(["retail", "wholesale", "services", "public"], dtype=object)
SEGMENT_P, SEGMENT_SIZE = [0.35, 0.30, 0.25, 0.10], np.array([0.6, 2.0, 1.0, 1.5])
LANGS, LANG_P = ("en", "es", "ru"), [0.5, 0.3, 0.2]
# Payer profiles: prompt, slow, chronic late, instalment payer. Days paid after due date.
PROMPT, SLOW, CHRONIC, INSTALMENT = range(4)
PROFILE_P = [0.52, 0.28, 0.13, 0.07]
DELAY_MEAN, DELAY_SD = np.array([-2, 20, 80, 6]), np.array([5, 6, 22, 8])
DELAY_LO, DELAY_HI = np.array([-25, 10, 45, -10]), np.array([10, 30, 120, 30])

_W = {  # word lists: first part | second part | legal form | cities (only to keep names distinct)
    "en": (
        "Northwind|Blue Ridge|Summit|Harbor|Oakwood|Silverline|Redstone|Pinecrest|Granite|"
        "Lakeside|Meridian|Crescent|Ironbridge|Westfield|Evergreen|Riverside|Kingsway|"
        "Brightwater|Highland|Stonegate|Maple Leaf|Cedar Point|Atlas|Beacon|Coastal|Pioneer|"
        "Sterling|Union Square|Liberty|Keystone|Horizon|Falcon|Copperfield|Golden Gate|"
        "Bayview|Fairview|Hillcrest|Willow Creek|Ashford|Brookside",
        "Traders|Supply|Logistics|Foods|Hardware|Electric|Builders|Textiles|Distributors|"
        "Manufacturing|Engineering|Packaging|Pharmacy|Motors|Office Products|Imports|Farms|"
        "Furniture|Printing|Plastics|Tools|Paper|Marine|Labs|Systems|Outfitters|Wholesale|"
        "Bakery|Florists|Appliances",
        "Ltd|Inc.|LLC|Co.|Group|& Sons|Corp.|PLC",
        "Leeds|Denver|Austin|Bristol|Toronto|Dublin|Boston|Perth|Cork|Phoenix",
    ),
    "es": (
        "Distribuciones|Comercial|Suministros|Transportes|Construcciones|Alimentación|"
        "Ferretería|Talleres|Muebles|Papelería|Farmacia|Panadería|Electricidad|Textiles|"
        "Importaciones|Servicios|Gráficas|Maderas|Vinos|Climatización|Frutas|Aceites|"
        "Cerámicas|Recambios|Óptica",
        "García|Martínez|López|Sánchez|Pérez|Gómez|Fernández|Rodríguez|González|Díaz|Muñoz|"
        "Álvarez|Romero|Navarro|Torres|Domínguez|Ramírez|Jiménez|Ruiz|Hernández|Iglesias|"
        "Peña|Castaño|Ibáñez|Núñez|Ortega|Delgado|Castro|Ortiz|Rubio|Marín|Sanz|Serrano|"
        "Blanco|Molina|Morales|Suárez|Gil|Vázquez|Ramos",
        "S.L.|S.A.|S.L.U.|e Hijos S.L.|Hermanos S.A.|S.Coop.",
        "Madrid|Sevilla|Valencia|Bilbao|Málaga|Zaragoza|Córdoba|Alicante|Gijón|Logroño",
    ),
    "ru": (
        "Северный|Южный|Западный|Восточный|Новый|Старый|Зелёный|Белый|Красный|Синий|"
        "Золотой|Серебряный|Большой|Тихий|Быстрый|Ясный|Светлый|Дальний|Уральский|Сибирский|"
        "Волжский|Балтийский|Невский|Донской|Центральный|Промышленный|Торговый|Первый|"
        "Русский|Окский",
        "ветер|берег|путь|мост|двор|дом|край|ключ|лес|парус|маяк|союз|город|поток|рубеж|альянс|"
        "трест|склад|терминал|стандарт|квартал|порт|сад|источник",
        "ООО|АО|ПАО|ЗАО|ТД",
        "Москва|Казань|Самара|Тверь|Пермь|Омск|Томск|Курск|Псков|Сочи",
    ),
}
_NAME_TEMPLATE = {
    "en": lambda a, b, form: a + " " + b + " " + form,
    "es": lambda a, b, form: a + " " + b + " " + form,
    "ru": lambda a, b, form: form + " «" + a + " " + b + "»",
}
_CONTACTS = {  # first names | last names (Russian: male first names, female, male surnames)
    "en": (
        "James|Mary|Robert|Patricia|John|Jennifer|Michael|Linda|David|Elizabeth|William|"
        "Susan|Richard|Jessica|Thomas|Sarah|Charles|Karen|Daniel|Emily",
        "Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Wilson|Anderson|Taylor|Moore|Martin|"
        "Jackson|Thompson|White|Harris|Clark|Lewis|Walker|Young",
    ),
    "es": (
        "María|José|Carmen|Antonio|Lucía|Manuel|Ana|Francisco|Isabel|Javier|Pilar|Jesús|"
        "Elena|Sergio|Begoña|Íñigo|Rocío|Álvaro|Nuria|Andrés",
        _W["es"][1],
    ),
    "ru": (
        "Алексей|Дмитрий|Сергей|Андрей|Иван|Михаил|Николай|Павел",
        "Ирина|Ольга|Елена|Наталья|Татьяна|Анна|Мария|Светлана",
        "Иванов|Петров|Смирнов|Кузнецов|Попов|Соколов|Лебедев|Козлов|Новиков|Морозов|Волков|"
        "Соловьёв|Васильев|Зайцев|Павлов|Семёнов|Голубев|Виноградов|Богданов|Воробьёв",
    ),
}
_MAILBOX = {
    "en": ("accounts.", "@example.com"),
    "es": ("contabilidad.", "@example.es"),
    "ru": ("buhgalteria.", "@example.ru"),
}


def make_sample(
    out,
    *,
    seed: int = 0,
    customers: int = 150,
    months: int = 24,
    end: str = "2026-10-31",
    invoices: int | None = None,
    fmt: str = "csv",
) -> dict[str, pathlib.Path]:
    """Write invoices, payments and customers files into folder `out` (created if needed), and
    the sample business's ``policy.toml`` (its currency and company details, see
    :data:`SAMPLE_POLICY`), and return {"invoices": path, "payments": path, "customers": path}.
    fmt is "csv" or "parquet".

    The documents span `months` calendar months ending on `end` (a month end); `invoices=None`
    means about 25 documents per customer per year, otherwise exactly `invoices` documents.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt is {fmt!r}; use 'csv' or 'parquet'.")
    if customers < 1 or months < 1 or (invoices is not None and invoices < 1):
        raise ValueError("customers, months and invoices must be at least 1.")
    start_day, end_day = _period(end, months)
    if invoices is None:
        invoices = max(1, round(customers * INVOICES_PER_CUSTOMER_YEAR * months / 12))
    rng = np.random.default_rng(seed)
    cust = _customers(rng, customers, invoices, months)
    docs = _documents(rng, cust, invoices, start_day, end_day)
    pays = _payments(rng, cust, docs, end_day)
    cust_ids = _ids("C", np.arange(1, customers + 1), max(4, len(str(customers))))
    inv_ids = _ids("INV-", np.arange(1, invoices + 1), max(6, len(str(invoices))))
    tables = {
        "invoices": _invoice_table(docs, inv_ids, cust_ids),
        "payments": _payment_table(pays, inv_ids, cust_ids),
        "customers": _customer_table(cust, cust_ids),
    }
    folder = pathlib.Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, table in tables.items():
        paths[name] = folder / f"{name}.{fmt}"
        _write(table, paths[name], fmt)
    # the sample business's own rules beside its files (not a table: not in the paths returned)
    (folder / POLICY_FILE).write_text(SAMPLE_POLICY, encoding="utf-8")
    return paths


#: The sample business's own policy (found in its folder by every command): its book currency
#: and its company details, so the documents it makes are ones a client could send.
SAMPLE_POLICY = """\
# The sample business's policy: every command finds policy.toml in the data folder. Only what
# differs from arbook/defaults/policy.toml is written here.
currency = "EUR"

[company]
name = "Muestra Trading S.L."
address = "Calle Mayor 1, 28013 Madrid, España"
tax_id = "ESB12345678"
bank = "Banco Ejemplo"
iban = "ES91 2100 0418 4502 0005 1332"
bic = "CAIXESBBXXX"
email = "cobros@muestra.example"
phone = "+34 910 000 000"
payment_note = "Please quote the invoice numbers with your payment."
"""


def _period(end: str, months: int) -> tuple[int, int]:
    """Return (first day, last day) of the period as days since 1970-01-01."""
    last = np.datetime64(end, "D")
    if (last + 1).astype("datetime64[M]") == last.astype("datetime64[M]"):
        raise ValueError(f"end is {end}; it must be the last day of a month.")
    first = (last.astype("datetime64[M]") - (months - 1)).astype("datetime64[D]")
    return int(first.astype(np.int64)), int(last.astype(np.int64))


# --- customers ------------------------------------------------------------------------------


def _customers(rng, n: int, docs: int, months: int) -> dict:
    """Return per-customer arrays: language, name, contact, email, phone, segment, terms,
    profile, weight (share of documents), median invoice cents, credit limit cents, and the
    index of the customer that goes bad."""
    lang = rng.choice(len(LANGS), n, p=LANG_P)
    c = {"lang": lang, "name": np.empty(n, dtype=object)}
    for i, code in enumerate(LANGS):
        c["name"][lang == i] = _company_names(rng, int((lang == i).sum()), code)
    c["contact"] = _by_language(lang, {k: _contacts(rng, n, k) for k in LANGS})
    c["phone"] = _by_language(lang, _phones(rng, n))
    c["segment"] = rng.choice(len(SEGMENTS), n, p=SEGMENT_P)
    c["terms"] = rng.choice(TERMS, n, p=TERMS_P)
    c["profile"] = rng.choice(len(PROFILE_P), n, p=PROFILE_P)
    weight = rng.lognormal(0.0, 0.7, n)
    median = np.exp(rng.normal(np.log(90_000), 0.9, n)) * SEGMENT_SIZE[c["segment"]]
    c["median"] = np.clip(np.rint(median), 8_000, 2_000_000).astype(np.int64)
    # The customer that goes bad is the largest by value and, after a swap, the most frequent
    # buyer too, so its unpaid last six months are many invoices and a large balance.
    c["bad"], busiest = int(np.argmax(weight * c["median"])), int(np.argmax(weight))
    weight[[c["bad"], busiest]] = weight[[busiest, c["bad"]]]
    c["weight"] = weight / weight.sum()
    # A credit limit is a round policy figure, not money moved: two months of expected billing,
    # estimated from the model and rounded up to 1,000.00.
    monthly = c["weight"] * docs * c["median"] * np.exp(0.7**2 / 2) / months
    c["limit"] = np.maximum(1, np.ceil(2 * monthly / 100_000)).astype(np.int64) * 100_000
    c["vetted"] = rng.random(n) < 0.8
    c["profile"][c["bad"]], c["vetted"][c["bad"]] = PROMPT, True
    return c


def _company_names(rng, n: int, lang: str) -> np.ndarray:
    """Return n distinct company names in `lang`, built from the word lists in a seeded order;
    a city is appended only when the plain combinations run out."""
    a, b, form, cities = (np.array(w.split("|"), dtype=object) for w in _W[lang])
    k = len(a) * len(b) * len(form)
    if n > k * (1 + len(cities)):
        raise ValueError(f"at most {k * (1 + len(cities))} distinct {lang} customer names.")
    idx = rng.permutation(k)[:n]
    if n > k:
        idx = np.concatenate([idx, k + rng.permutation(k * len(cities))[: n - k]])
    combo, city = idx % k, idx // k
    ia, rest = np.divmod(combo, len(b) * len(form))
    ib, iform = np.divmod(rest, len(form))
    qualifier = np.concatenate([np.array([""], dtype=object), " (" + cities + ")"])
    return _NAME_TEMPLATE[lang](a[ia], b[ib], form[iform]) + qualifier[city]


def _contacts(rng, n: int, lang: str) -> np.ndarray:
    """Return n contact person names in `lang` (Russian surnames agree with the gender)."""
    lists = [np.array(w.split("|"), dtype=object) for w in _CONTACTS[lang]]
    if lang != "ru":
        first, last = lists
        return first[rng.integers(0, len(first), n)] + " " + last[rng.integers(0, len(last), n)]
    male, female, surname = lists
    is_female = rng.random(n) < 0.5
    first = np.where(
        is_female, female[rng.integers(0, len(female), n)], male[rng.integers(0, len(male), n)]
    )
    last = surname[rng.integers(0, len(surname), n)] + np.where(is_female, "а", "")
    return first + " " + last


def _phones(rng, n: int) -> dict[str, np.ndarray]:
    """Return n fake phone numbers per language (US 555-01xx, Spanish and Moscow formats)."""
    area = np.array(["212", "312", "415", "617", "713", "206", "303", "404"], dtype=object)
    return {
        "en": "+1 " + area[rng.integers(0, len(area), n)] + "-555-01" + _digits(rng, n, 2),
        "es": "+34 9" + _digits(rng, n, 2) + " " + _digits(rng, n, 3) + " " + _digits(rng, n, 3),
        "ru": "+7 495 " + _digits(rng, n, 3) + "-" + _digits(rng, n, 2) + "-" + _digits(rng, n, 2),
    }


def _digits(rng, n: int, width: int) -> np.ndarray:
    """Return n random zero-padded digit strings of `width` (object array)."""
    return np.strings.zfill(rng.integers(0, 10**width, n).astype(str), width).astype(object)


def _by_language(lang: np.ndarray, per_language: dict[str, np.ndarray]) -> np.ndarray:
    """Return, for each customer, the value of its own language."""
    return np.choose(lang, [per_language[k] for k in LANGS])


# --- invoices and credit notes -------------------------------------------------------------


def _documents(rng, cust: dict, n_docs: int, start_day: int, end_day: int) -> dict:
    """Return per-document arrays sorted by (date, customer): cust, day, due, cents, net
    (what the customer still has to pay after credits), kind (0 invoice, 1 credit note applied,
    2 standalone credit), applies (position of the credited invoice or -1), disputed, blank_due."""
    n_credit = round(n_docs * CREDIT_SHARE) if n_docs >= 50 else 0
    n_applied = round(n_credit * APPLIED_CREDIT_SHARE)
    n_inv = n_docs - n_credit
    c = rng.choice(len(cust["weight"]), n_inv, p=cust["weight"])
    day = _to_weekday(rng.integers(start_day, end_day + 1, n_inv), start_day, backward=True)
    size = cust["median"][c] * np.exp(rng.normal(0.0, 0.7, n_inv))
    cents = np.clip(np.rint(size), 5_000, 5_000_000).astype(np.int64)

    target = rng.choice(n_inv, n_applied, replace=False)
    share = np.where(rng.random(n_applied) < 0.3, 100, rng.integers(5, 96, n_applied))
    credit = -np.maximum(1, cents[target] * share // 100)
    net = cents.copy()
    net[target] += credit
    alone = rng.integers(0, n_inv, n_credit - n_applied)
    alone_cents = -np.clip(np.rint(rng.lognormal(np.log(15_000), 0.8, len(alone))), 500, 500_000)

    d = {
        "cust": np.concatenate([c, c[target], c[alone]]),
        "day": np.concatenate(
            [
                day,
                day[target] + rng.integers(0, 46, n_applied),
                day[alone] + rng.integers(0, 61, len(alone)),
            ]
        ),
        "cents": np.concatenate([cents, credit, alone_cents.astype(np.int64)]),
        "net": np.concatenate([net, np.zeros(n_credit, np.int64)]),
        "kind": np.repeat(np.array([0, 1, 2], np.int8), [n_inv, n_applied, len(alone)]),
        "applies": np.concatenate([np.full(n_inv, -1), target, np.full(len(alone), -1)]),
    }
    d["day"] = np.minimum(d["day"], end_day)
    order = _sort_order(d["day"], d["cust"])  # stable: an invoice precedes its same-day credit
    d = {k: v[order] for k, v in d.items()}
    position = np.empty(n_docs, np.int64)
    position[order] = np.arange(n_docs)
    d["applies"] = np.where(d["applies"] >= 0, position[np.maximum(d["applies"], 0)], -1)
    d["due"] = d["day"] + cust["terms"][d["cust"]]
    d["blank_due"] = rng.random(n_docs) < BLANK_DUE_SHARE
    d["disputed"] = (rng.random(n_docs) < DISPUTED_SHARE) & (d["kind"] == 0)
    return d


def _sort_order(*keys: np.ndarray) -> np.ndarray:
    """Return the stable order sorting by the keys (first key first), via one int64 key when
    the ranges fit (several times faster than np.lexsort on millions of rows)."""
    lows = [int(k.min()) if len(k) else 0 for k in keys]
    spans = [int(k.max()) - low + 1 if len(k) else 1 for k, low in zip(keys, lows)]
    if np.prod(spans, dtype=float) >= 2**62:
        return np.lexsort(keys[::-1])
    combined = np.zeros(len(keys[0]), np.int64)
    for k, low, span in zip(keys, lows, spans):
        combined = combined * span + (k - low)
    return np.argsort(combined, kind="stable")


def _to_weekday(day: np.ndarray, bound: int, *, backward: bool) -> np.ndarray:
    """Return the days moved off weekends (to Friday if backward, else to Monday)."""
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    if backward:
        return np.maximum(day - np.maximum(weekday - 4, 0), bound)
    return np.minimum(day + np.where(weekday >= 5, 7 - weekday, 0), bound)


# --- payments ------------------------------------------------------------------------------


def _payments(rng, cust: dict, docs: dict, end_day: int) -> dict:
    """Return payment rows sorted by (date, customer, invoice): cust, day, cents, inv (document
    position or -1 for cash on account). Only payments dated on or before end_day are kept."""
    inv = np.flatnonzero((docs["kind"] == 0) & (docs["net"] > 0))
    c, due, net = docs["cust"][inv], docs["due"][inv], docs["net"][inv]
    profile = cust["profile"][c]
    delay = np.rint(DELAY_MEAN[profile] + DELAY_SD[profile] * rng.normal(size=len(inv)))
    delay = np.clip(delay, DELAY_LO[profile], DELAY_HI[profile]).astype(np.int64)
    disputed = docs["disputed"][inv]
    delay += np.where(disputed, rng.integers(60, 241, len(inv)), 0)
    never = disputed & (rng.random(len(inv)) < 0.35)
    first = np.maximum(due + delay, docs["day"][inv])
    parts = np.where(
        (profile == INSTALMENT) & (net >= 20_000) & (rng.random(len(inv)) < 0.5),
        rng.integers(2, 4, len(inv)),
        1,
    )
    amounts = _split(rng, net, parts)
    gap = rng.integers(14, 36, len(inv))
    per_invoice = {
        "cust": c,
        "inv": inv,
        "never": never,
        "single": (parts == 1) & (net == docs["cents"][inv]),
    }
    p = {k: np.concatenate([v[parts > j] for j in range(3)]) for k, v in per_invoice.items()}
    p["day"] = np.concatenate([(first + j * gap)[parts > j] for j in range(3)])
    p["cents"] = np.concatenate([amounts[j][parts > j] for j in range(3)])
    p["day"] = _to_weekday(p["day"], np.iinfo(np.int64).max, backward=False)
    went_bad = (p["cust"] == cust["bad"]) & (p["day"] > end_day - GOES_BAD_DAYS)
    keep = (p["day"] <= end_day) & ~p["never"] & ~went_bad
    p = {k: v[keep] for k, v in p.items()}
    _overpay(rng, p)
    p = _with_unapplied(rng, p, cust["bad"], end_day)
    order = _sort_order(p["day"], p["cust"], p["inv"] + 1)
    return {k: p[k][order] for k in ("cust", "day", "cents", "inv")}


def _split(rng, net: np.ndarray, parts: np.ndarray) -> list[np.ndarray]:
    """Return three cents arrays (instalments 1..3) that sum exactly to `net` over `parts`."""
    n = len(net)
    share1 = np.where(parts == 2, rng.integers(300, 701, n), rng.integers(200, 451, n))
    share2 = rng.integers(200, 451, n)
    first = np.where(parts == 1, net, net * share1 // 1000)
    second = np.where(parts == 3, net * share2 // 1000, net - first)
    second = np.where(parts == 1, 0, second)
    return [first, second, net - first - second]


def _overpay(rng, p: dict) -> None:
    """Add 0.01..25.00 to a handful of single full payments (so those invoices end negative)."""
    candidates = np.flatnonzero(p["single"])
    n = min(len(candidates), max(3, round(len(p["day"]) * 0.0008)))
    chosen = rng.choice(candidates, n, replace=False)
    p["cents"][chosen] += rng.integers(1, 2501, n)


def _with_unapplied(rng, p: dict, bad: int, end_day: int) -> dict:
    """Return the rows plus ~0.5% cash-on-account rows (blank invoice), a few days after a
    payment of the same customer (never for the customer that goes bad)."""
    template = np.flatnonzero(p["cust"] != bad)
    n = min(len(template), round(len(p["day"]) * UNAPPLIED_SHARE))
    pick = template[rng.integers(0, len(template), n)] if n else template[:0]
    cents = np.clip(np.rint(rng.lognormal(np.log(30_000), 0.8, n)), 1_000, 500_000)
    extra = {
        "cust": p["cust"][pick],
        "day": np.minimum(p["day"][pick] + rng.integers(0, 15, n), end_day),
        "cents": cents.astype(np.int64),
        "inv": np.full(n, -1, np.int64),
    }
    return {k: np.concatenate([p[k], extra[k]]) for k in extra}


# --- tables and files ----------------------------------------------------------------------


def _invoice_table(d: dict, inv_ids: pa.Array, cust_ids: pa.Array) -> pa.Table:
    """Return the invoices table with the canonical columns and Arrow types."""
    return pa.table(
        {
            "invoice_id": inv_ids,
            "customer_id": cust_ids.take(d["cust"]),
            "invoice_date": _dates(d["day"]),
            "due_date": _dates(d["due"], blank=d["blank_due"]),
            "amount": _decimal(d["cents"]),
            "applies_to": inv_ids.take(pa.array(d["applies"], mask=d["applies"] < 0)),
            "currency": pa.nulls(len(inv_ids), pa.string()),
            "disputed": pc.if_else(pa.array(d["disputed"]), "yes", "no"),
        }
    )


def _payment_table(p: dict, inv_ids: pa.Array, cust_ids: pa.Array) -> pa.Table:
    """Return the payments table; rows of one customer on one day share a payment_id."""
    new_receipt = np.ones(len(p["day"]), bool)
    new_receipt[1:] = (p["day"][1:] != p["day"][:-1]) | (p["cust"][1:] != p["cust"][:-1])
    receipt = np.cumsum(new_receipt)
    return pa.table(
        {
            "payment_id": _ids("PAY-", receipt, max(7, len(str(len(receipt))))),
            "customer_id": cust_ids.take(p["cust"]),
            "payment_date": _dates(p["day"]),
            "amount": _decimal(p["cents"]),
            "invoice_id": inv_ids.take(pa.array(p["inv"], mask=p["inv"] < 0)),
        }
    )


def _customer_table(c: dict, ids: pa.Array) -> pa.Table:
    """Return the customers table (credit_limit blank for customers not vetted)."""
    local = np.array([_MAILBOX[k][0] for k in LANGS], dtype=object)[c["lang"]]
    domain = np.array([_MAILBOX[k][1] for k in LANGS], dtype=object)[c["lang"]]
    return pa.table(
        {
            "customer_id": ids,
            "name": pa.array(c["name"], pa.string()),
            "credit_limit": _decimal(c["limit"], blank=~c["vetted"]),
            "terms_days": pa.array(c["terms"], pa.int32()),
            "email": pa.array(local + pc.utf8_lower(ids).to_numpy(zero_copy_only=False) + domain),
            "phone": pa.array(c["phone"], pa.string()),
            "language": pa.array(np.array(LANGS, dtype=object)[c["lang"]], pa.string()),
            "contact": pa.array(c["contact"], pa.string()),
            "segment": pa.array(SEGMENTS[c["segment"]], pa.string()),
        }
    )


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Return string ids like INV-000042 (prefix, then the number zero-padded to `width`)."""
    text = pc.utf8_lpad(pc.cast(pa.array(numbers, pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, text, "")


def _dates(days: np.ndarray, *, blank=None) -> pa.Array:
    """Return a date32 array from days since 1970-01-01 (null where `blank`)."""
    return pa.array(days.astype(np.int32), pa.int32(), mask=blank).cast(pa.date32())


def _decimal(cents: np.ndarray, *, blank=None) -> pa.Array:
    """Return an exact decimal128(18, 2) array whose unscaled values are `cents`."""
    words = np.empty((len(cents), 2), np.int64)  # 128-bit little-endian two's complement
    words[:, 0] = cents
    words[:, 1] = cents >> 63
    validity = None if blank is None else pa.py_buffer(np.packbits(~blank, bitorder="little"))
    return pa.Array.from_buffers(
        DECIMAL,
        len(cents),
        [validity, pa.py_buffer(words)],
        null_count=-1 if blank is not None else 0,
    )


def _write(table: pa.Table, path: pathlib.Path, fmt: str) -> None:
    """Write one table: CSV with a plain header and no quoting (no value holds a comma), or
    Parquet (zstd)."""
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
        return
    options = pa_csv.WriteOptions(include_header=False, batch_size=1 << 16, quoting_style="none")
    with open(path, "wb") as f:
        f.write((",".join(table.column_names) + "\n").encode())
        pa_csv.write_csv(table, f, options)
