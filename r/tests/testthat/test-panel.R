# csto_panel() against facts of the record; tests/test_r_agreement.py checks every value
# against Python's panel().

panel_of <- function(...) with_csto_env(url = test_url(), suppressMessages(csto_panel(...)))

panel_specs <- function(unit) {
  path <- system.file("extdata", "panels.json", package = "cstodataset")
  jsonlite::fromJSON(path, simplifyVector = FALSE)$panels[[unit]]$columns
}

expect_s3_class_or_type <- function(values, class) {
  if (class == "Date") expect_s3_class(values, "Date") else expect_type(values, class)
}

row_of <- function(frame, state, year) frame[frame$state_id == state & frame$year == year, ]

test_that("each panel has the columns and types of panels.json", {
  panels <- list("state-year" = panel_of("state-year"),
                 "state-day" = panel_of("state-day", start = "2024-01-01", end = "2024-01-31"),
                 "dyad-year" = panel_of("dyad-year"))
  for (unit in names(panels)) {
    frame <- panels[[unit]]
    specs <- panel_specs(unit)
    expect_identical(names(frame), vapply(specs, `[[`, "", "name"), label = unit)
    for (spec in specs) {
      if (is.null(spec$enum)) {
        expect_s3_class_or_type(frame[[spec$name]], R_CLASS[[spec$type]])
      } else {
        expect_identical(levels(frame[[spec$name]]), unlist(spec$enum))
      }
    }
  }
})

test_that("Uzbekistan 2012 was a member, then suspended", {
  uzbekistan <- row_of(panel_of("state-year"), "UZB", 2012)
  expect_gt(uzbekistan$days_member_sure, 0)
  expect_gt(uzbekistan$days_suspended_sure, 0)
  expect_identical(as.character(uzbekistan$status_jan1), "member")
  expect_identical(as.character(uzbekistan$status_dec31), "suspended")
})

test_that("Armenia 2024 froze its participation on the any basis only", {
  expect_gt(row_of(panel_of("state-year"), "ARM", 2024)$days_frozen_sure, 0)
  formal <- row_of(panel_of("state-year", basis = "formal"), "ARM", 2024)
  expect_identical(formal$days_frozen_possible, 0L)
  expect_identical(formal$days_member_sure, 366L)
})

test_that("no dyad of Georgia after 1999, and a directed panel has each pair twice", {
  directed <- panel_of("dyad-year")
  georgia <- directed[directed$state_id1 == "GEO" | directed$state_id2 == "GEO", ]
  expect_gt(nrow(georgia), 0)
  expect_identical(max(georgia$year), 1999L)
  undirected <- panel_of("dyad-year", directed = FALSE)
  expect_identical(nrow(directed), 2L * nrow(undirected))
  expect_true(all(undirected$state_id1 < undirected$state_id2))
  expect_true(all(undirected$days_joint_possible > 0))
  expect_true(all(undirected$days_joint_sure <= undirected$days_joint_possible))
})

test_that("the last year stops at the data and says so", {
  years <- panel_of("state-year")
  last <- years[years$year == max(years$year), ]
  expect_true(all(is.na(last$status_dec31)))
  expect_identical(min(years$year), 1992L)
  expect_true(all(last$days_in_data == last$days_in_data[[1]]))
  expect_false(anyNA(years$status_jan1))
  expect_false(anyDuplicated(years[c("state_id", "year")]) > 0)
})

test_that("a state-day range has every state on every day", {
  days <- panel_of("state-day", start = "2012-06-01", end = as.Date("2012-06-30"))
  states <- unique(days$state_id)
  expect_identical(nrow(days), 30L * length(states))
  expect_identical(days$date[1:30], seq(as.Date("2012-06-01"), by = "day", length.out = 30))
  expect_true(all(days$status[days$state_id == "UZB"] %in% c("member", "suspended", "uncertain")))
})

test_that("an older release gives the codes it has", {
  older <- panel_of("state-year", version = "0.5.1")
  expect_true(all(is.na(older$gw_code)))
  expect_identical(older$cow_code[older$state_id == "RUS"][[1]], 365L)
  expect_gt(row_of(older, "UZB", 2012)$days_suspended_sure, 0)
  expect_error(panel_of("state-year", version = "0.1.0"), "0\\.1\\.0")
})

test_that("bad arguments are refused as Python refuses them", {
  expect_error(panel_of("country-year"),
               "^unknown unit 'country-year'; expected one of state-year, state-day, dyad-year$")
  expect_error(panel_of("state-year", basis = "legal"), "unknown basis 'legal'")
  expect_error(panel_of("dyad-year", start = "2000-01-01"),
               "^start and end choose the days of the state-day panel only$")
  expect_error(panel_of("state-day", start = "2000-01-02", end = "2000-01-01"),
               "^end 2000-01-01 is before start 2000-01-02$")
  expect_error(panel_of("state-day", end = "2999-01-01"),
               "^end 2999-01-01 is after [0-9-]{10}, the last day the data records; choose an earlier end$")
})
