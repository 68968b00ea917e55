"""Threads mixing writes and searches through boto3, one client per thread (clients are made up front: boto3
sessions are not thread-safe, clients are). No profile is lost, no index entry goes stale, no call raises
anything but a modelled error, and pagination tokens keep working (or fail cleanly) while the data moves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from mock_customer_profiles import mock_customer_profiles

from .support import attempt, error_text, new_client

DOMAIN = "acme"
ANCHOR = "anchor@example.com"
INVALID_TOKEN = "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"
TIMEOUT = 30.0  # seconds; the whole test takes about one on two cores


def run_threads(targets: list[Callable[[], None]]) -> list[BaseException]:
    """Run the targets together (released at once by a barrier); the exceptions they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def wrap(target: Callable[[], None]) -> Callable[[], None]:
        def body() -> None:
            try:
                barrier.wait()
                target()
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                errors.append(error)

        return body

    threads = [threading.Thread(target=wrap(target), daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return errors


def emails_of(fields: dict[str, str]) -> set[str]:
    return {fields[name] for name in ("EmailAddress", "PersonalEmailAddress") if name in fields}


def search_ids(client: Any, key: str, value: str) -> list[str]:
    ids: list[str] = []
    request: dict[str, Any] = {"DomainName": DOMAIN, "KeyName": key, "Values": [value], "MaxResults": 100}
    while True:
        page = client.search_profiles(**request)
        ids += [item["ProfileId"] for item in page["Items"]]
        if "NextToken" not in page:
            return ids
        request["NextToken"] = page["NextToken"]


def test_writers_and_pagers_in_parallel() -> None:
    writers, pagers, rounds = 4, 2, 40
    with mock_customer_profiles() as mock:
        mock.create_domain(DOMAIN)
        anchors = [mock.create_profile(DOMAIN, EmailAddress=ANCHOR, FirstName=f"anchor{n}") for n in range(12)]
        shared = [mock.create_profile(DOMAIN, EmailAddress=f"shared{n}@example.com") for n in range(3)]
        clients = [new_client() for _ in range(writers + pagers)]
        live: dict[str, dict[str, str]] = {}  # what the writers believe exists, id -> fields
        deleted: set[str] = set()  # deleted, or merged away
        held: dict[tuple[str, str], str] = {}  # (key, value) attached by a merge or a key -> the profile
        lock = threading.Lock()
        walks: list[list[str]] = []
        stop = threading.Event()

        def writer(number: int) -> Callable[[], None]:
            client = clients[number]

            def work() -> None:
                mine: list[str] = []
                for step in range(rounds):
                    own = f"w{number}-{step}@example.com"
                    fields = {"EmailAddress": own, "PhoneNumber": f"+1555{number:03d}{step:04d}"}
                    if step % 3 == 0:
                        fields["PersonalEmailAddress"] = ANCHOR  # a moving target for the pagers
                    profile_id = client.create_profile(DomainName=DOMAIN, **fields)["ProfileId"]
                    assert search_ids(client, "_email", own) == [profile_id]  # reads its own write
                    with lock:
                        live[profile_id] = fields
                    mine.append(profile_id)
                    # Contended writes: every writer keeps moving the same few profiles to its own address.
                    client.update_profile(
                        DomainName=DOMAIN,
                        ProfileId=shared[step % len(shared)],
                        EmailAddress=f"shared-{number}-{step}@example.com",
                        LastName=f"writer{number}",
                    )
                    if step % 4 == 1:  # move an earlier profile to a new address: the old one must let go
                        target = mine[-2]
                        moved = f"w{number}-{step}-moved@example.com"
                        client.update_profile(DomainName=DOMAIN, ProfileId=target, EmailAddress=moved)
                        with lock:
                            live[target] = {**live[target], "EmailAddress": moved}
                    if step % 6 == 5:  # a duplicate with an order key, merged into the newest profile
                        dup_email, order = f"w{number}-{step}-dup@example.com", f"order-{number}-{step}"
                        dup = client.create_profile(DomainName=DOMAIN, EmailAddress=dup_email)["ProfileId"]
                        client.add_profile_key(DomainName=DOMAIN, ProfileId=dup, KeyName="_orderId", Values=[order])
                        client.merge_profiles(DomainName=DOMAIN, MainProfileId=mine[-1], ProfileIdsToBeMerged=[dup])
                        assert search_ids(client, "_orderId", order) == [mine[-1]]
                        with lock:
                            held[("_email", dup_email)] = held[("_orderId", order)] = mine[-1]
                            deleted.add(dup)
                    if step % 5 == 4:  # delete one, and see it gone at once
                        target = mine.pop(0)
                        client.delete_profile(DomainName=DOMAIN, ProfileId=target)
                        with lock:
                            del live[target]
                            deleted.add(target)
                        assert search_ids(client, "_profileId", target) == []

            return work

        def pager(number: int) -> Callable[[], None]:
            client = clients[writers + number]

            def work() -> None:
                while not stop.is_set():
                    seen: list[str] = []
                    request: dict[str, Any] = {"DomainName": DOMAIN, "KeyName": "_email", "Values": [ANCHOR]}
                    while True:
                        page, error = attempt(client.search_profiles, **request, MaxResults=3)
                        if error is not None:  # a token may be refused, cleanly, never otherwise
                            assert error_text(error) == ("BadRequestException", INVALID_TOKEN)
                            break
                        for item in page["Items"]:
                            assert ANCHOR in emails_of(item), item  # never a profile that no longer holds it
                        seen += [item["ProfileId"] for item in page["Items"]]
                        if "NextToken" not in page:
                            walks.append(seen)
                            break
                        request["NextToken"] = page["NextToken"]

            return work

        pager_threads = [pager(n) for n in range(pagers)]

        def writers_then_stop() -> None:
            errors = run_threads([writer(n) for n in range(writers)])
            stop.set()
            if errors:
                raise errors[0]

        errors = run_threads([writers_then_stop, *pager_threads])
        assert errors == [], errors

        # Pagination while the data moved: no duplicates, creation order kept, the fixed anchors all there.
        assert walks, "no pager finished a walk"
        for walk in walks:
            assert len(walk) == len(set(walk)), walk
            assert [pid for pid in walk if pid in anchors] == anchors

        check_final_state(clients[0], anchors, shared, live, deleted, held)


def check_final_state(
    client: Any,
    anchors: list[str],
    shared: list[str],
    live: dict[str, dict[str, str]],
    deleted: set[str],
    held: dict[tuple[str, str], str],
) -> None:
    """After the threads: every profile is where the writers left it, and the index holds nothing else."""
    count = len(anchors) + len(shared) + len(live)
    assert client.get_domain(DomainName=DOMAIN)["Stats"]["ProfileCount"] == count
    holders: dict[str, set[str]] = {ANCHOR: set(anchors)}
    for profile_id in shared:  # whichever writer won, the index follows the fields the profile ended with
        (item,) = client.search_profiles(DomainName=DOMAIN, KeyName="_profileId", Values=[profile_id])["Items"]
        assert item["LastName"] == "writer" + item["EmailAddress"].split("-")[1]
        holders[item["EmailAddress"]] = {profile_id}
    for profile_id, fields in live.items():
        assert search_ids(client, "_profileId", profile_id) == [profile_id]
        for email in emails_of(fields):
            holders.setdefault(email, set()).add(profile_id)
    for profile_id in deleted:
        assert search_ids(client, "_profileId", profile_id) == []
    for (key, value), profile_id in held.items():  # merged and added values follow their profile, or go with it
        if key == "_email" and profile_id in live:
            holders.setdefault(value, set()).add(profile_id)
        elif key != "_email":
            assert search_ids(client, key, value) == ([profile_id] if profile_id in live else []), value
    for email, expected in holders.items():
        assert set(search_ids(client, "_email", email)) == expected, email
    # Addresses that moved away or whose profile was deleted: no stale entry may still find anything.
    every_address = {f"{kind}{n}-{s}@example.com" for kind in ("w", "shared-") for n in range(4) for s in range(40)}
    every_address |= {f"w{n}-{s}-dup@example.com" for n in range(4) for s in range(40)}
    every_address |= {f"shared{n}@example.com" for n in range(len(shared))}
    for email in sorted(every_address - set(holders)):
        assert search_ids(client, "_email", email) == [], email


def test_racing_creates_of_one_domain_name() -> None:
    with mock_customer_profiles():
        clients = [new_client() for _ in range(6)]
        outcomes: list[str] = []

        def create(client: Any) -> Callable[[], None]:
            def work() -> None:
                _, error = attempt(client.create_domain, DomainName="contested", DefaultExpirationDays=1)
                outcomes.append("created" if error is None else error_text(error)[1])

            return work

        assert run_threads([create(client) for client in clients]) == []
        assert sorted(outcomes) == ["Domain contested already exists"] * 5 + ["created"]
        assert [d["DomainName"] for d in clients[0].list_domains()["Items"]] == ["contested"]


def test_racing_creates_stop_at_the_domain_limit() -> None:
    with mock_customer_profiles() as mock:
        for n in range(90):
            mock.create_domain(f"seed{n:03d}")
        clients = [new_client() for _ in range(4)]
        created: list[str] = []

        def create(number: int) -> Callable[[], None]:
            def work() -> None:
                for step in range(5):
                    name = f"t{number}-{step}"
                    _, error = attempt(clients[number].create_domain, DomainName=name, DefaultExpirationDays=1)
                    if error is None:
                        created.append(name)
                    else:
                        assert error_text(error) == (
                            "BadRequestException",
                            "The account already has the maximum of 100 domains",
                        )

            return work

        assert run_threads([create(n) for n in range(4)]) == []
        assert len(created) == 10
        names = {d["DomainName"] for d in clients[0].list_domains()["Items"]}
        assert len(names) == 100
        assert set(created) <= names
