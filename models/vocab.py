"""Closed vocabularies: the single source of truth for kinds, hedges, units and source types.

Enum values are lower_snake (or the ISO code for currencies) and identical to what the
export writes, so ``Hedge.AT_LEAST == "at_least"``.
"""

from __future__ import annotations

from enum import StrEnum


class ClaimKind(StrEnum):
    """What a quantitative claim measures (the scorer's in-scope kinds)."""

    TERRITORY = "territory"
    PERSONNEL = "personnel"
    CASUALTIES = "casualties"
    DISTANCE = "distance"
    RATE = "rate"
    SHARE = "share"
    RATIO = "ratio"
    EQUIPMENT = "equipment"
    COUNT = "count"
    MONEY = "money"


class QuantityKind(StrEnum):
    """Mentions that look like quantities but are never claims (kept by `claims quantities`)."""

    DATE = "date"
    YEAR = "year"
    DURATION = "duration"
    AGE = "age"
    ORDINAL = "ordinal"
    TIME = "time"
    NAME = "name"
    OTHER = "other"


class Hedge(StrEnum):
    """How the text qualifies the number ("around", "at least", "nearly", a range)."""

    EXACT = "exact"
    APPROXIMATELY = "approximately"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    NEARLY = "nearly"
    RANGE = "range"


class Unit(StrEnum):
    """Canonical units. Money uses ISO 4217 codes."""

    KM2 = "km2"
    KM = "km"
    KM_PER_DAY = "km/day"
    PERCENT = "percent"
    PERCENTAGE_POINTS = "pp"
    TIMES = "times"
    COUNT = "count"
    # measures beyond war (quantity mentions; as claims they are counts)
    TONNE = "t"
    TONNE_PER_DAY = "t/day"
    CUBIC_METRE = "m3"
    CUBIC_METRE_PER_DAY = "m3/day"
    BARREL = "bbl"
    BARREL_PER_DAY = "bbl/day"
    MEGAWATT = "mw"
    MEGAWATT_HOUR = "mwh"
    KM_PER_HOUR = "km/h"
    DEGREE_CELSIUS = "deg_c"
    DEGREE_FAHRENHEIT = "deg_f"
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"
    RUB = "RUB"
    UAH = "UAH"
    JPY = "JPY"
    CNY = "CNY"
    CHF = "CHF"
    CAD = "CAD"
    AUD = "AUD"
    INR = "INR"
    PLN = "PLN"
    SAR = "SAR"
    SEK = "SEK"
    NOK = "NOK"
    DKK = "DKK"
    TRY = "TRY"
    KRW = "KRW"
    AED = "AED"
    BRL = "BRL"
    BYN = "BYN"
    CZK = "CZK"
    DZD = "DZD"
    EGP = "EGP"
    GEL = "GEL"
    HKD = "HKD"
    HUF = "HUF"
    IDR = "IDR"
    ILS = "ILS"
    IRR = "IRR"
    KZT = "KZT"
    MDL = "MDL"
    MXN = "MXN"
    MYR = "MYR"
    NGN = "NGN"
    NZD = "NZD"
    PKR = "PKR"
    QAR = "QAR"
    RON = "RON"
    SGD = "SGD"
    THB = "THB"
    TWD = "TWD"
    ZAR = "ZAR"

    @property
    def is_currency(self) -> bool:
        return self.value.isupper()


class SourceType(StrEnum):
    """Who a figure is attributed to."""

    GOVERNMENT = "government"
    MILITARY = "military"
    THINK_TANK = "think_tank"
    MEDIA = "media"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    POLLSTER = "pollster"
    COMPANY = "company"
    PERSON = "person"
    ANONYMOUS = "anonymous"
    OTHER = "other"


#: The unit each kind is expressed in (money: any currency).
KIND_UNITS: dict[ClaimKind, Unit | None] = {
    ClaimKind.TERRITORY: Unit.KM2,
    ClaimKind.PERSONNEL: Unit.COUNT,
    ClaimKind.CASUALTIES: Unit.COUNT,
    ClaimKind.DISTANCE: Unit.KM,
    ClaimKind.RATE: Unit.KM_PER_DAY,
    ClaimKind.SHARE: Unit.PERCENT,
    ClaimKind.RATIO: Unit.TIMES,
    ClaimKind.EQUIPMENT: Unit.COUNT,
    ClaimKind.COUNT: Unit.COUNT,
    ClaimKind.MONEY: None,
}
