# csto_status() against facts of the record; tests/test_r_agreement.py checks it day by day
# against Python's membership_status().

status_of <- function(...) with_csto_env(url = test_url(), suppressMessages(csto_status(...)))

test_that("one state on one day is one typed row", {
  uzbekistan <- status_of("2012-06-25", "UZB")
  expect_identical(names(uzbekistan), c("date", "state", "status", "possible"))
  expect_identical(uzbekistan$date, as.Date("2012-06-25"))
  expect_identical(uzbekistan$state, "UZB")
  expect_identical(uzbekistan$status, "suspended")
  expect_identical(uzbekistan$possible, "suspended")
  expect_identical(status_of(as.Date("2005-01-01"), "GEO")$status, "none")
  expect_identical(status_of("1995-06-01", "GEO")$status, "member")
})

test_that("every state with a record is answered, day by day", {
  days <- as.Date(c("2012-06-25", "1993-01-01"))
  answer <- status_of(days)
  states <- sort(unique(as.character(with_csto_env(url = test_url(),
    suppressMessages(load_csto("memberships")))$state_id)), method = "radix")
  expect_identical(answer$state, rep(states, 2))
  expect_identical(answer$date, rep(days, each = length(states)))
  expect_true(all(answer$status %in% c("signatory", "member", "suspended", "participation_frozen",
                                       "observer", "none", "uncertain")))
})

test_that("Uzbekistan 2012 has days as a member and days suspended", {
  year <- status_of(seq(as.Date("2012-01-01"), as.Date("2012-12-31"), by = "day"), "UZB")
  expect_identical(nrow(year), 366L)
  expect_true(any(year$status == "member"))
  expect_true(any(year$status == "suspended"))
  expect_identical(year$status[[1]], "member")
  expect_identical(year$status[[366]], "suspended")
})

test_that("Armenia 2024 froze its participation on the any basis only", {
  days <- seq(as.Date("2024-01-01"), as.Date("2024-12-31"), by = "day")
  expect_true(any(status_of(days, "ARM")$status == "participation_frozen"))
  formal <- status_of(days, "ARM", basis = "formal")
  expect_false(any(grepl("participation_frozen", formal$possible)))
  expect_true(all(formal$status == "member"))
})

test_that("an uncertain day lists the candidates in precedence order, none last", {
  days <- seq(as.Date("1992-01-01"), as.Date("2024-12-31"), by = "day")
  answer <- status_of(days)
  uncertain <- answer[answer$status == "uncertain", ]
  expect_gt(nrow(uncertain), 0)
  expect_true(all(grepl("|", uncertain$possible, fixed = TRUE)))
  certain <- answer[answer$status != "uncertain", ]
  expect_identical(certain$possible, certain$status)
  expect_false(any(grepl("none|", answer$possible, fixed = TRUE)))
  expect_false(any(grepl("member|participation_frozen", answer$possible, fixed = TRUE)))
})

test_that("a day after the data is answered with a warning", {
  expect_warning(
    answer <- status_of("2999-01-01", "ARM", version = "0.5.1"),
    "^2999-01-01 is after [0-9-]{10}, the last day data version 0\\.5\\.1 records: the answer assumes nothing changed since$"
  )
  expect_identical(nrow(answer), 1L)
  expect_silent(status_of("2000-01-01", "ARM", version = "0.5.1"))
})

test_that("bad arguments are refused", {
  expect_error(status_of("2012-06-25", "XYZ"),
               "^no membership record for state 'XYZ'; states with records: .*ARM, .*UZB$")
  expect_error(status_of("25.06.2012"), "expected a day as YYYY-MM-DD, got '25.06.2012'")
  expect_error(status_of(20120625), "expected a day")
  expect_error(status_of(c("2012-06-25", NA)), "expected a day as YYYY-MM-DD, got NA")
  expect_error(status_of("2012-06-25", basis = "legal"),
               "unknown basis 'legal'; expected 'any' or 'formal'")
  expect_error(status_of("2012-06-25", version = "0.1.0"),
               "data version 0.1.0 records memberships without basis")
})

test_that("memberships are read once per version in a session", {
  before <- status_of("2012-06-25", version = "0.5.0")
  # nothing can be downloaded now, and the cache is empty
  again <- with_csto_env(url = DEAD_URL, csto_status("2012-06-25", version = "0.5.0"))
  expect_identical(again, before)
})
