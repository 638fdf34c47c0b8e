"""`python -m compliance.quota`: evaluate one JSON document (a snapshot or a period) from stdin.

Prints the result as JSON, or with `--explain` the explanation lines as text. `--easy-read`
prints the Easy-Read content of the rules in force instead. Bad input prints one line naming the
field on stderr and exits with status 2. This edge, not the engine, reads the clock: `--today`
defaults to the current date in Indonesia's western time zone (WIB).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from compliance.clock import WIB, today_in
from compliance.quota.assess import DEFAULT_MAX_PACK_AGE_DAYS
from compliance.quota.easy_read import easy_read
from compliance.quota.engine import evaluate
from compliance.quota.model import Snapshot
from compliance.quota.parse import parse_document
from compliance.quota.period import evaluate_period
from compliance.quota.result import PeriodResult, QuotaResult
from compliance.quota.vocab import QuotaError
from compliance.quota.wording import Lang

EXIT_BAD_INPUT = 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m compliance.quota",
        description="Compute the disability employment quota for a snapshot or a period read "
        "as JSON on standard input (schema: compliance/quota/README.md).",
    )
    parser.add_argument("--explain", action="store_true", help="print explanation lines as text")
    parser.add_argument(
        "--lang",
        choices=("id", "en", "both"),
        default="id",
        help="language of --explain (default: id)",
    )
    parser.add_argument(
        "--today",
        type=_date,
        help="today's date, for pack staleness (default: the current date in WIB)",
    )
    parser.add_argument(
        "--max-pack-age-days",
        type=int,
        default=DEFAULT_MAX_PACK_AGE_DAYS,
        help="a pack last verified longer ago than this is reported stale",
    )
    parser.add_argument(
        "--easy-read",
        action="store_true",
        help="print the Easy-Read explanation of the rules in force on --today",
    )
    return parser


def _languages(choice: str) -> tuple[Lang, ...]:
    return ("id", "en") if choice == "both" else ("id",) if choice == "id" else ("en",)


def _explain_result(result: QuotaResult, langs: tuple[Lang, ...]) -> list[str]:
    out = []
    for lang in langs:
        out.extend(result.explanation(lang))
        out.extend(f"! {w.text(lang)} [{w.source(lang)}]" for w in result.warnings)
        for other in (*result.comparisons, *result.overlays):
            out.append("")
            out.extend(f"  {line}" for line in other.explanation(lang))
        out.append("")
    return out


def _explain_period(result: PeriodResult, langs: tuple[Lang, ...]) -> list[str]:
    out = []
    for lang in langs:
        for month in result.months:
            required = "-" if month.required is None else str(month.required)
            out.append(
                f"{month.as_of.isoformat()}: {month.status.value}, required {required}, "
                f"counted {month.counted}"
            )
        out.extend(result.explanation(lang))
        out.extend(f"! {w.text(lang)} [{w.source(lang)}]" for w in result.warnings)
        out.append("")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    today: date = args.today or today_in(WIB)
    try:
        if args.easy_read:
            print(json.dumps(easy_read(today).to_dict(), ensure_ascii=False, indent=2))
            return 0
        document = parse_document(sys.stdin.read())
        result: QuotaResult | PeriodResult
        if isinstance(document, Snapshot):
            result = evaluate(document, today=today, max_pack_age_days=args.max_pack_age_days)
        else:
            result = evaluate_period(
                document, today=today, max_pack_age_days=args.max_pack_age_days
            )
    except QuotaError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.explain:
        langs = _languages(args.lang)
        if isinstance(result, QuotaResult):
            lines = _explain_result(result, langs)
        else:
            lines = _explain_period(result, langs)
        print("\n".join(lines).rstrip())
    else:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
