"""The declaration in a few lines, in the user's language, for the confirmation question. Pure;
every word comes from `texts.yml`, amounts and dates are formatted as the coverage explanations do."""
from __future__ import annotations

from typing import Any, List, Mapping, Sequence

from actions.conversation.texts import texts
from actions.coverage.explain import format_date, format_money
from actions.evidence import is_excluded_goods
from actions.forms import fields

DATE_SLOTS = ("order_date", "delivery_date", "complaint_date", "occurred_on", "started_on")
MONEY_SLOTS = ("amount", "return_shipping_cost", "cost_estimate")
BOOLEAN_SLOTS = ("second_hand", "auction_site", "for_resale", "tracked_delivery", "card_blocked", "bank_notified",
                 "provider_breach", "voluntary_disclosure")
# Facts shown only when they differ from what most declarations say (no clutter).
SHOWN_WHEN = {"tracked_delivery": False, "second_hand": True, "auction_site": True, "for_resale": True,
              "provider_breach": True, "voluntary_disclosure": True, "seller": "private"}
# Who did it, who was paid, where: a "no" to these is "I don't know", not "not yet".
UNKNOWN_WHEN_DECLINED = frozenset({"offender", "payee", "misused_at"})


def summary_lines(cover: str, values: Mapping[str, Any], declined: Sequence[str], lang: str,
                  changed: Sequence[str] = ()) -> List[str]:
    t = texts()
    what = t["values"]["cover"][cover][lang]
    if cover == "ecommerce" and values.get("kind"):
        what += f" ({t['values']['kind'][values['kind']][lang]})"
    sep = t["separator"][lang]
    lines = [f"• {t['fields']['cover'][lang]}{sep}{what}"]
    for slot in _shown_slots(cover):
        value = values.get(slot)
        if slot in SHOWN_WHEN and value != SHOWN_WHEN[slot]:
            continue
        if value is None or value == []:
            if slot in declined:
                said = "unknown" if slot in UNKNOWN_WHEN_DECLINED else "not_yet"
                lines.append(f"• {t['fields'][slot][lang]}{sep}{t['answers'][said][lang]}")
            continue
        mark = f" {t['changed'][lang]}" if slot in changed else ""
        lines.append(f"• {t['fields'][slot][lang]}{sep}{render(slot, value, lang)}{mark}")
    return lines


def summary(cover: str, values: Mapping[str, Any], declined: Sequence[str], lang: str,
            changed: Sequence[str] = ()) -> str:
    """The declaration in a few lines; the facts just corrected are marked ("← gewijzigd")."""
    return "\n".join(summary_lines(cover, values, declined, lang, changed))


def render(slot: str, value: Any, lang: str) -> str:
    t = texts()
    if slot in DATE_SLOTS:
        return format_date(value, lang)
    if slot in MONEY_SLOTS:
        return format_money(float(value), lang)
    if slot in BOOLEAN_SLOTS:
        return t["answers"]["yes" if value else "no"][lang]
    if slot == "goods_category":
        names = t["values"]["goods_category"]
        name = names.get(value, names["other"])[lang]
        return f"{name} ({names['excluded'][lang]})" if is_excluded_goods(value) else name
    if slot == "expenses":
        return ", ".join(f"{t['expense_types'][e['type']][lang]} {format_money(float(e['amount']), lang)}"
                         for e in value)
    if slot == "urls":
        return ", ".join(value)
    names = t["values"].get(slot)
    if names and value in names:
        return names[value][lang]
    return str(value)


def _shown_slots(cover: str) -> List[str]:
    asked = [q.slot for q in fields.questions(cover) if q.slot != "kind"]
    if cover == "ecommerce":
        asked.insert(asked.index("goods_category"), "goods")
    story = [slot for slot in fields.STORY_FACTS[cover] + fields.NOTED_FACTS[cover]
             if slot not in asked and slot != "kind"]  # kind: in the title
    return asked + story
