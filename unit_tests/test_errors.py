"""The one decision table for Smartsheet errors, and the backoff and pacing rules."""

from __future__ import annotations

import random

import pytest

from source_smartsheets.errors import ANSWERS, Action, SmartsheetApiError, Transport, answer_for, classify, explain, traced
from source_smartsheets.pacing import BURST, Pacer
from source_smartsheets.retry import MAX_SINGLE_WAIT, RetryBudget, parse_retry_after


@pytest.mark.parametrize(
    "status, code, action",
    [
        (None, None, Action.RETRY),
        (429, 4003, Action.RETRY),
        (500, 4000, Action.RETRY),
        (500, 4002, Action.RETRY),
        (500, 4004, Action.RETRY),
        (503, 4001, Action.RETRY),
        (503, None, Action.RETRY),  # HTML body
        (502, None, Action.RETRY),
        (401, 1001, Action.CONFIG_ERROR),
        (401, 1002, Action.CONFIG_ERROR),
        (401, 1003, Action.REFRESH_TOKEN),
        (403, 1004, Action.SKIP_SHEET),
        (404, 1006, Action.SKIP_SHEET),
        (410, 4005, Action.FAIL),
        (400, 1008, Action.FAIL),
        (400, 1018, Action.FAIL),
        (418, None, Action.FAIL),
    ],
)
def test_given_answer_when_classified_then_table_decides(status, code, action) -> None:
    assert classify(status, code) is action


@pytest.mark.parametrize(
    "status, code, part",
    [
        (401, 1002, "region"),
        (401, 1003, "expired"),
        (403, 1004, "not shared"),
        (404, 1006, "not found"),
        (429, 4003, "rate-limiting"),
        (None, None, "did not answer"),
    ],
)
def test_given_error_when_explained_then_names_what_and_what_to_do(status, code, part) -> None:
    text = explain(SmartsheetApiError(status, code, "m", "/sheets/1"), "sheet 1")
    assert part in text
    assert "heet 1" in text or status == 401


def test_given_attempts_when_backing_off_then_exponential_with_jitter_and_capped() -> None:
    budget = RetryBudget(total_seconds=1000, base=1.0, rng=random.Random(7))
    delays = [budget.delay(attempt, None) for attempt in range(1, 10)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(MAX_SINGLE_WAIT, 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= MAX_SINGLE_WAIT


def test_given_retry_after_when_backing_off_then_honoured() -> None:
    budget = RetryBudget(total_seconds=1000)
    assert budget.delay(1, 7.0) == 7.0
    assert budget.delay(1, 600.0) == MAX_SINGLE_WAIT


def test_given_budget_when_spent_then_no_more_retries() -> None:
    budget = RetryBudget(total_seconds=10)
    assert budget.allows(5, 4)
    assert not budget.allows(8, 4)


@pytest.mark.parametrize("header, seconds", [("3", 3.0), ("0.5", 0.5), ("", None), (None, None), ("Wed, 21 Oct", None)])
def test_given_retry_after_header_when_parsed_then_seconds(header, seconds) -> None:
    assert parse_retry_after(header) == seconds


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_history_call_takes_ten_places_of_the_minute() -> None:
    """The API counts a cell history call as 10 requests: the pacer counts it so too."""
    clock = FakeClock()
    pacer = Pacer(30, clock=clock, sleep=clock.sleep, burst=30)
    for _ in range(3):
        pacer.acquire(10)
    assert clock.now == 0.0  # 30 places: the burst
    pacer.acquire(10)
    assert clock.now >= 60.0  # the fourth waits until the first three leave the window
    plain, other = Pacer(30, clock=(later := FakeClock()), sleep=later.sleep, burst=30), later
    for _ in range(30):
        plain.acquire()
    assert other.now == 0.0


def test_given_limit_when_requests_burst_then_no_window_exceeds_it() -> None:
    clock = FakeClock()
    pacer = Pacer(limit=5, window=60.0, clock=clock, sleep=clock.sleep)
    sent = []
    for _ in range(17):
        pacer.acquire()
        sent.append(clock.now)
    for index, moment in enumerate(sent):
        in_window = [other for other in sent[: index + 1] if moment - other < 60.0]
        assert len(in_window) <= 5
    assert sent[-1] >= 180.0


def test_given_pause_when_acquiring_then_waits_that_long() -> None:
    clock = FakeClock()
    pacer = Pacer(limit=100, window=60.0, clock=clock, sleep=clock.sleep)
    pacer.pause(12.0)
    pacer.acquire()
    assert clock.now >= 12.0


def test_given_a_name_with_capitals_when_explained_then_kept_as_written() -> None:
    text = explain(SmartsheetApiError(404, 1006, "Not Found", "/sheets/1"), "sheet 1 ('Q3 Budget — EMEA')")
    assert text.startswith("Sheet 1 ('Q3 Budget — EMEA') was not found")


@pytest.mark.parametrize(
    "kind, action, failure",
    [
        (Transport.REFUSED, Action.RETRY_ONCE_REACHED, "config_error"),
        (Transport.DNS, Action.RETRY_ONCE_REACHED, "config_error"),
        (Transport.TLS, Action.RETRY_ONCE_REACHED, "config_error"),
        (Transport.NOT_API, Action.RETRY_ONCE_REACHED, "config_error"),
        (Transport.TIMEOUT, Action.RETRY, "transient_error"),
        (Transport.DROPPED, Action.RETRY, "transient_error"),
        (Transport.TRUNCATED, Action.RETRY, "transient_error"),
    ],
)
def test_given_transport_failure_when_looked_up_then_one_row_says_action_and_failure_type(kind, action, failure) -> None:
    answer = answer_for(kind, None)
    assert (answer.action, answer.failure.value) == (action, failure)
    error = SmartsheetApiError(None, None, "detail", "/users/me", transport=kind, host="example.test:443")
    assert traced(error, "the token's user").failure_type.value == failure


def test_every_row_of_the_table_explains_itself_without_leftover_placeholders() -> None:
    for (status, code), answer in ANSWERS.items():
        error = SmartsheetApiError(
            status if isinstance(status, int) else None,
            code,
            "detail",
            "/sheets/1",
            transport=status if isinstance(status, Transport) else None,
            host="h:1",
        )
        text = explain(error, "sheet 1", region="eu")
        assert "{" not in text and "}" not in text, (status, code, text)
        assert error.answer is answer


def test_given_a_rejected_token_and_a_region_when_explained_then_the_other_regions_are_named() -> None:
    text = explain(SmartsheetApiError(401, 1002, "m", "/users/me"), "the token's user", region="eu")
    assert "uses region 'eu'" in text and "us, gov, au" in text


def test_given_a_rejected_token_and_api_base_url_when_explained_then_the_host_not_the_regions() -> None:
    error = SmartsheetApiError(401, 1002, "m", "/users/me", host="proxy.example:8443")
    text = explain(error, "the token's user", region="")  # SmartsheetConfig.token_home with api_base_url set
    assert "api_base_url (proxy.example:8443) serves your account" in text and "region" not in text


def test_given_a_start_burst_when_acquiring_then_requests_are_spread_evenly_after_it() -> None:
    clock = FakeClock()
    pacer = Pacer(limit=60, window=60.0, clock=clock, sleep=clock.sleep, burst=5)
    sent = []
    for _ in range(20):
        pacer.acquire()
        sent.append(round(clock.now, 6))
    assert sent[:5] == [0.0] * 5
    gaps = [later - earlier for earlier, later in zip(sent[5:], sent[6:], strict=False)]
    assert all(abs(gap - 1.0) < 1e-6 for gap in gaps)  # one a second: 60 a minute, evenly


class QuotaServer:
    """Smartsheet's rule on a fake clock: at most 300 requests of one token in any 60 s; over it, 429."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.admitted: list[float] = []
        self.refused = 0

    def request(self) -> bool:
        now = self.clock.now
        recent = [moment for moment in self.admitted if now - moment < 60.0]
        if len(recent) >= 300:
            self.refused += 1
            return False
        self.admitted.append(now)
        return True


def _run(pacer: Pacer, server: QuotaServer, clock: FakeClock, requests: int) -> None:
    """One run as the client makes it: a 429 holds the pacer for the request's backoff, then it is tried again."""
    budget = RetryBudget(total_seconds=600, base=1.0, rng=random.Random(1))
    done = attempt = 0
    while done < requests:
        pacer.acquire()
        clock.now += 0.05  # the answer's latency
        if server.request():
            done, attempt = done + 1, 0
        else:
            attempt += 1
            delay = budget.delay(attempt, None)
            pacer.pause(delay)
            clock.sleep(delay)


@pytest.mark.parametrize(
    "runs, requests, max_429, max_over_quota",
    [(2, 1000, 5, 1.15), (3, 400, 5, 1.15), (2, 223, 5, 1.5), (2, 23, 0, 1.0)],
)
def test_given_runs_back_to_back_on_one_token_then_a_few_429s_at_most_and_near_the_quota(
    runs, requests, max_429, max_over_quota
) -> None:
    clock = FakeClock()
    server = QuotaServer(clock)
    for _ in range(runs):  # discover, then read right after: each its own process, its own pacer
        _run(Pacer(limit=290, window=60.0, clock=clock, sleep=clock.sleep), server, clock, requests)
    assert server.refused <= max_429
    assert clock.now <= max_over_quota * 60 * runs * requests / 300  # the quota bound: requests / 300 a minute


def test_given_a_small_sync_then_it_goes_at_once_and_a_larger_one_evenly() -> None:
    clock = FakeClock()
    pacer = Pacer(limit=290, window=60.0, clock=clock, sleep=clock.sleep)
    for _ in range(BURST):
        pacer.acquire()
    assert clock.now == 0.0  # a few dozen requests are not slowed down
    pacer.acquire()
    assert clock.now == pytest.approx(60 / 290)  # then one every 60/290 s


def test_given_429_when_paused_then_every_request_holds_and_the_rate_halves_then_climbs_back() -> None:
    clock = FakeClock()
    pacer = Pacer(limit=120, window=60.0, clock=clock, sleep=clock.sleep)
    pacer.acquire()
    pacer.pause(3.0)
    assert pacer.rate == 1.0  # 2 per second, halved
    pacer.acquire()
    assert clock.now == 3.0  # held back until the pause is over
    pacer.acquire()
    assert clock.now == pytest.approx(4.0, abs=0.1)  # then at the halved rate
    for _ in range(200):
        pacer.acquire()
    assert pacer.rate == 2.0  # back to the configured rate after a minute or so without a 429
