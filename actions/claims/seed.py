"""Demo policies, one per situation worth trying (the reference day of the demo is 2026-11-22).

`python -m actions.claims.seed` seeds the database of `CLAIMS_DB_URL`. Running it again
gives the same state: each demo policy is reset to its demo details and claims (dossiers
filed during a demo are kept).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .db import ClaimsDatabase, get_database
from .models import AcceptedClaim, Policyholder, to_cents


@dataclass(frozen=True)
class DemoClaim:
    cover: str
    occurred_on: date
    amount_paid: Decimal


@dataclass(frozen=True)
class DemoPolicy:
    number: str
    name: str
    birth_date: date
    start_date: date
    end_date: date | None
    language: str
    household_size: int
    claims: tuple[DemoClaim, ...] = ()


DEMO_POLICIES = (
    # Running since 2023, nothing claimed: every cover is open.
    DemoPolicy("CC-DEMO-0001", "An Peeters", date(1985, 4, 12), date(2023, 3, 1), None, "nl", 4),
    # 4,500 EUR of e-commerce refunds already this insurance year (2026-06-01 to 2027-05-31).
    DemoPolicy("CC-DEMO-0002", "Sophie Dubois", date(1979, 9, 30), date(2025, 6, 1), None, "fr", 2, (
        DemoClaim("ecommerce", date(2026, 7, 1), Decimal("2500.00")),
        DemoClaim("ecommerce", date(2026, 8, 1), Decimal("2000.00")),
    )),
    # Started 2026-10-01: data recovery is in its 2-month waiting period until 2026-11-30.
    DemoPolicy("CC-DEMO-0003", "Emma Wilson", date(1992, 1, 5), date(2026, 10, 1), None, "en", 1),
    # Ended on 2026-06-30: a claim declared now is outside the policy period.
    DemoPolicy("CC-DEMO-0004", "Marc Lambert", date(1968, 12, 1), date(2024, 1, 15), date(2026, 6, 30), "fr", 3),
    # Started on 29 February 2024: its insurance year now runs 2026-02-28 to 2027-02-27, with
    # 3 e-commerce incidents in it already; the one of 2026-02-27 belongs to the year before.
    DemoPolicy("CC-DEMO-0005", "Lotte Maes", date(2000, 2, 29), date(2024, 2, 29), None, "nl", 5, (
        DemoClaim("ecommerce", date(2026, 2, 27), Decimal("60.00")),
        DemoClaim("ecommerce", date(2026, 3, 10), Decimal("120.00")),
        DemoClaim("ecommerce", date(2026, 6, 18), Decimal("75.50")),
        DemoClaim("ecommerce", date(2026, 10, 5), Decimal("310.00")),
    )),
    # Insurance year 2026-01-10 to 2027-01-09: 600 EUR of identity-theft expenses reimbursed,
    # 2 e-reputation cases handled.
    DemoPolicy("CC-DEMO-0006", "Julien Martin", date(1990, 7, 14), date(2025, 1, 10), None, "fr", 2, (
        DemoClaim("identity_theft", date(2026, 2, 14), Decimal("600.00")),
        DemoClaim("e_reputation", date(2026, 3, 1), Decimal("1200.00")),
        DemoClaim("e_reputation", date(2026, 9, 12), Decimal("800.00")),
    )),
)


def seed_demo_data(target: Session | ClaimsDatabase | str | None = None) -> int:
    """Create or reset the demo policies in a session (left for its owner to commit), a
    database, or the database at a URL (default: `CLAIMS_DB_URL`). Returns how many."""
    if isinstance(target, Session):
        _seed(target)
    else:
        database = target if isinstance(target, ClaimsDatabase) else get_database(target)
        with database.session() as session:
            _seed(session)
    return len(DEMO_POLICIES)


def _seed(session: Session) -> None:
    for demo in DEMO_POLICIES:
        holder = session.scalar(select(Policyholder).where(Policyholder.policy_number == demo.number))
        if holder is None:
            holder = Policyholder(policy_number=demo.number)
            session.add(holder)
        holder.name = demo.name
        holder.birth_date = demo.birth_date
        holder.start_date = demo.start_date
        holder.end_date = demo.end_date
        holder.country = "BE"
        holder.household_size = demo.household_size
        holder.language = demo.language
        holder.email = f"{demo.number.lower()}@example.org"
        session.flush()
        session.execute(delete(AcceptedClaim).where(AcceptedClaim.policyholder_id == holder.id))
        session.add_all(AcceptedClaim(policyholder_id=holder.id, cover=claim.cover, occurred_on=claim.occurred_on,
                                      amount_paid_cents=to_cents(claim.amount_paid)) for claim in demo.claims)
    session.flush()


if __name__ == "__main__":
    database = get_database()
    print(f"seeded {seed_demo_data(database)} demo policies into {database.safe_url()}")
