"""``trombi pairs``, ``trombi intro``, ``trombi similar``, ``trombi helpers`` and ``trombi network suggest``: networking from the terminal."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from generator.controls import json_text, visible
from generator.directory.enrich import Org
from generator.directory.settings import load_settings
from generator.problems import Message, Problem, TrombiError, counted

if TYPE_CHECKING:
    from generator.network.pairing import Quality


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_root: Callable[[argparse.ArgumentParser], None]) -> None:
    pairs = commands.add_parser(
        "pairs",
        help="draw the monthly lunch pairs (with --write, record them in pairings/)",
        description="Pair everyone who opted in to lunches (networking.lunch) and is not snoozed: same site, or by video "
        "for remote people; across teams and departments; never the same pair twice within 12 months (history in "
        "pairings/YYYY-MM.yaml). The same month and the same people always give the same pairs.",
    )
    pairs.add_argument("--month", type=_month, default=None, help="the month, YYYY-MM (default: this month)")
    pairs.add_argument("--write", action="store_true", help="record the pairs in pairings/YYYY-MM.yaml (never over a month already recorded)")
    pairs.add_argument("--force", action="store_true", help="draw a month already recorded again (with --write, replace its record)")
    pairs.add_argument("--explain", action="store_true", help="also print the quality: cross-team and cross-department shares, repeats, people left out")
    pairs.add_argument("--json", action="store_true", help="print the pairs as JSON")
    add_root(pairs)
    pairs.set_defaults(run=run_pairs)

    from generator.cli.main import words_here
    from generator.network.intro import SMALL_GROUP

    words = words_here()  # the help is read before --root is: the directory's language found from here
    intro = commands.add_parser(
        "intro",
        help=Message("find who can introduce you: the shortest chain of people who know each other").said(words),
        description=Message(
            "People know each other through their team, their manager or reports, or a group of {size} members or fewer. "
            "Exit code 1 when no chain links the two people.",
            size=SMALL_GROUP,
        ).said(words),
    )
    intro.add_argument("source", metavar="FROM", help=Message("handle of the person looking for an introduction").said(words))
    intro.add_argument("target", metavar="TO", help=Message("handle of the person to reach").said(words))
    intro.add_argument("--json", action="store_true", help=Message("print the chain as JSON").said(words))
    add_root(intro)
    intro.set_defaults(run=run_intro)

    similar = commands.add_parser("similar", help="people outside someone's team with the most similar skills")
    similar.add_argument("handle", help="the person's handle")
    similar.add_argument("--json", action="store_true", help="print the result as JSON")
    add_root(similar)
    similar.set_defaults(run=run_similar)

    helpers = commands.add_parser("helpers", help="who can help with what someone seeks (or with TEXT)")
    helpers.add_argument("handle", nargs="?", help="match this person's seeks")
    helpers.add_argument("--text", help="match this text instead of someone's seeks")
    helpers.add_argument("--json", action="store_true", help="print the result as JSON")
    add_root(helpers)
    helpers.set_defaults(run=run_helpers)

    network = commands.add_parser(
        "network",
        help=Message("your own network: whom the directory suggests for your information, support and operational circles").said(words),
    )
    network_commands = network.add_subparsers(title="commands", dest="network_command", metavar="COMMAND", required=True)
    suggest = network_commands.add_parser(
        "suggest",
        help=Message("the people the page My network suggests to someone, circle by circle, with why").said(words),
        description=Message(
            "The same suggestions and reasons as the page My network: same or similar title in another team or site, fellow "
            "members of communities (information); former managers and teammates from the git history, the same month of "
            "arrival, seeks that one's offers answer (support); managers of the members of one's projects and the people of "
            "the groups they serve (operational)."
        ).said(words),
    )
    suggest.add_argument("handle", help=Message("the person's handle").said(words))
    suggest.add_argument("--json", action="store_true", help=Message("print the suggestions as JSON").said(words))
    add_root(suggest)
    suggest.set_defaults(run=run_suggest)


def run_pairs(args: argparse.Namespace) -> int:
    from generator.network.lunchfiles import already_recorded, pairings_path, read_pairings, write_pairing
    from generator.network.pairing import month_of, pair_month, quality, recorded_pairing
    from generator.site.ics import lunch_slot

    org = _org(args.root)
    settings = org.directory.settings
    words = settings.words
    month = args.month or month_of(date.today())
    history = read_pairings(settings)
    if month in history and args.write and not args.force:
        raise TrombiError([already_recorded(settings.display(pairings_path(settings) / f"{month}.yaml"), month)])
    # A recorded month is shown as it was recorded (and announced), not drawn again from today's directory.
    pairing = recorded_pairing(org, month, history[month], everyone=True) if month in history and not args.force else pair_month(org, month, history)
    measures = quality(org, pairing, history)
    if args.write:
        path = write_pairing(settings, pairing, force=args.force)
    if args.json:
        data: dict[str, Any] = {
            "month": month,
            "lunches": [
                {"people": list(lunch.people), "mode": lunch.mode, "site": lunch.site, "slot": lunch_slot(lunch, month).isoformat()}
                for lunch in pairing.lunches
            ],
            "unmatched": pairing.unmatched,
            "quality": measures.as_dict(),
        }
        print(json_text(data))
    else:
        for lunch in pairing.lunches:
            where = visible(lunch.site or "") if lunch.mode == "in-person" else Message("video")
            people = " + ".join(f"{visible(org.people[h].name)} ({h})" if h in org.people else h for h in lunch.people)
            print(Message("{where}: {people}", where=where, people=people).said(words))
        if not pairing.lunches:
            print(Message("Nobody to pair in {month}.", month=month).said(words))
    if args.explain:
        (print if not args.json else _stderr)(_explained(month, measures, pairing.unmatched).said(words))
    if args.write:
        _stderr(Message("Wrote {path}", path=settings.display(path)).said(words))
    return 0


def _explained(month: str, measures: Quality, unmatched: list[str]) -> Message:
    """The quality of a month's pairs, in one line."""
    left_out = f"{measures.unmatched} ({', '.join(unmatched)})" if unmatched else measures.unmatched
    return Message(
        "{month}: {lunches} for {people} ({trios} of three); cross-team {team}, "
        "cross-department {department}; repeats within 12 months: {repeats}; left out: {unmatched}",
        month=month,
        lunches=counted("{count} lunch", "{count} lunches", measures.lunches, count=measures.lunches),
        people=counted("{count} person", "{count} people", measures.people, count=measures.people),
        trios=measures.trios,
        team=f"{measures.cross_team:.0%}",
        department=f"{measures.cross_department:.0%}",
        repeats=measures.repeats,
        unmatched=left_out,
    )


def run_intro(args: argparse.Namespace) -> int:
    from generator.i18n import load_language
    from generator.network.intro import describe_path, hop_dict, intro_path

    org = _org(args.root)
    words = org.directory.settings.words
    _check_handles(org, args.source, args.target)
    hops = intro_path(org, args.source, args.target)
    if args.json:
        print(json_text({"from": args.source, "to": args.target, "hops": None if hops is None else [hop_dict(org, hop) for hop in hops]}))
    if hops is None:
        # The exit status says "no chain" too: said on stderr when stdout holds JSON.
        source, target = visible(org.people[args.source].name), visible(org.people[args.target].name)
        (_stderr if args.json else print)(Message("No chain of colleagues links {source} and {target}.", source=source, target=target).said(words))
    elif args.json:
        pass
    elif not hops:
        print(Message("{name} is {handle}.", name=visible(org.people[args.source].name), handle=args.target).said(words))
    else:
        print(visible(describe_path(org, hops, load_language(org.directory.settings.language))))  # one line, whatever the names hold
    return 1 if hops is None else 0


def run_similar(args: argparse.Namespace) -> int:
    from generator.network.similar import similar_people

    org = _org(args.root)
    _check_handles(org, args.handle)
    found = similar_people(org).get(args.handle, [])
    if args.json:
        print(json_text([{"handle": h, "score": score} for h, score in found]))
        return 0
    for handle, score in found:
        person = org.people[handle]
        print(f"{score:.2f}  {visible(person.name)} ({handle}) — {visible(person.title)}")
    if not found:
        print(Message("Nobody with similar skills outside the team.").said(org.directory.settings.words))
    return 0


def run_helpers(args: argparse.Namespace) -> int:
    from generator.i18n import load_language
    from generator.network.matching import OfferIndex, why_it_meets

    org = _org(args.root)
    if args.handle is None and not args.text:
        raise TrombiError([Problem("(arguments)", 1, 1, Message("give a HANDLE or --text"), "arguments")])
    if args.handle is not None:
        _check_handles(org, args.handle)
    seeks = [args.text] if args.text else org.people[args.handle].seeks
    index = OfferIndex(org)
    results = [(seek, index.helpers(seek, exclude=args.handle)) for seek in seeks]
    if args.json:
        data = [
            {
                "seek": seek,
                "helpers": [{"handle": h.handle, "via": h.via, "text": h.text, "reason": h.reason, "detail": h.detail, "score": h.score} for h in helpers],
            }
            for seek, helpers in results
        ]
        print(json_text(data))
        return 0
    language = load_language(org.directory.settings.language)
    for seek, found in results:
        print(visible(seek))
        for helper in found:
            print(f"    {visible(org.people[helper.handle].name)} ({helper.handle}) — {visible(why_it_meets(helper, language))}")
        if not found:
            print("    " + Message("nobody yet").said(org.directory.settings.words))
    return 0


def run_suggest(args: argparse.Namespace) -> int:
    from generator.history.git import read_history
    from generator.i18n import load_language
    from generator.network.circles import CIRCLE_LABELS, CIRCLES, describe, facts_of, suggest

    org = _org(args.root)
    settings = org.directory.settings
    _check_handles(org, args.handle)
    if org.people[args.handle].search != "visible":
        message = Message("'{handle}' is hidden from listings (search: hidden): nobody is suggested to them", handle=args.handle)
        raise TrombiError([Problem(f"{settings.people_dir}/{args.handle}.yaml", 1, 1, message, "hidden-person")])
    # The history as the build reads it, from its cache: former managers and teammates come from it.
    history = read_history(settings, days=settings.news_days, cache_dir=settings.root / ".trombi")
    facts = facts_of(org, history, today=date.today())
    language = load_language(settings.language)
    found = suggest(facts, facts.index()[args.handle])
    if args.json:
        data = [
            {
                "handle": facts.handles[s.person],
                "name": facts.names[s.person],
                "circle": s.circle,
                "reasons": [{"code": r.code, "text": describe(facts, r, language)} for r in s.reasons],
            }
            for s in found
        ]
        print(json_text(data))
        return 0
    for circle in CIRCLES:
        print(language.gettext(CIRCLE_LABELS[circle]))
        shown = [s for s in found if s.circle == circle]
        for item in shown:
            person = org.people[facts.handles[item.person]]
            print(f"    {visible(person.name)} ({facts.handles[item.person]}) — {visible(person.title)}")
            for reason in item.reasons:
                print(f"        {visible(describe(facts, reason, language))}")
        if not shown:
            print("    " + Message("nobody yet").said(settings.words))
    return 0


def _org(root: Any) -> Org:
    from generator.cli.main import warn_in
    from generator.directory.enrich import enrich
    from generator.directory.validate import valid_directory

    return enrich(valid_directory(settings := load_settings(root), warn=warn_in(settings.words)))


def _check_handles(org: Org, *handles: str) -> None:
    from generator.directory.check import either, suggest

    problems = []
    for handle in handles:
        if handle not in org.people:
            close = suggest(handle, list(org.people))
            if close:
                names = either(f"'{name}'" for name in close)
                message = Message("no person with handle '{handle}'; did you mean {names}?", handle=handle, names=names)
            else:
                message = Message("no person with handle '{handle}'", handle=handle)
            problems.append(Problem(f"{org.directory.settings.people_dir}/{handle}.yaml", 1, 1, message, "unknown-person"))
    if problems:
        raise TrombiError(problems)


def _month(text: str) -> str:
    from generator.cli.main import bad_argument
    from generator.network.pairing import check_month

    try:
        return check_month(text)
    except ValueError as error:
        raise bad_argument(error.args[0]) from None


def _stderr(text: str) -> None:
    import sys

    print(text, file=sys.stderr)
