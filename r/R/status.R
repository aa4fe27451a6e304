# Membership status on given days, by the rule of Python's csto_dataset.membership: each
# memberships row covers some days surely and some possibly; where rows overlap, the first
# status of PRECEDENCE wins, and a day where a status before the sure winner is possible is
# "uncertain". Days are integer day numbers (as.integer(<Date>)) throughout.

PRECEDENCE <- c("suspended", "participation_frozen", "member", "signatory", "observer")
DAY_STATUSES <- c(PRECEDENCE, "none", "uncertain")
NONE_CODE <- length(PRECEDENCE)  # codes are 0-based, as bits: DAY_STATUSES[code + 1]
UNCERTAIN_CODE <- NONE_CODE + 1L
NEEDED_COLUMNS <- c("state_id", "status", "basis", "start_earliest", "start_latest", "end",
                    "end_earliest", "end_latest", "attested_earliest", "attested_latest")

# Memberships and last days, per data version: a release never changes once published.
status_memory <- new.env(parent = emptyenv())

csto_status <- function(date, state = NULL, basis = c("any", "formal"), version = NULL) {
  days <- as_days(date)
  basis <- choose_basis(basis)
  if (!is.null(state) && (!is.character(state) || anyNA(state) || !length(state))) {
    stop("state must be ISO alpha-3 codes such as 'ARM'", call. = FALSE)
  }
  release <- find_release(version)
  memberships <- membership_intervals(release$version)
  states <- memberships$states
  if (!is.null(state)) {
    unknown <- setdiff(state, states)
    if (length(unknown)) {
      stop(sprintf("no membership record for state %s; states with records: %s",
                   shown_value(unknown[[1]]), paste(states, collapse = ", ")), call. = FALSE)
    }
    states <- unique(state)
  }
  last <- last_day(release$version)
  if (length(days) && max(days) > last) {
    warning(beyond_data_message(format(as_date(max(days))), format(as_date(last)),
                                release$version), call. = FALSE)
  }
  grid <- status_grid(days, memberships, basis, states)
  # rows: for each day in the order given, every state
  data.frame(
    date = as_date(rep(days, each = length(states))),
    state = rep(states, times = length(days)),
    status = DAY_STATUSES[grid$status + 1L],
    possible = POSSIBLE_NAMES[grid$possible + 1L],
    stringsAsFactors = FALSE
  )
}

beyond_data_message <- function(day, last, version) {
  sprintf("%s is after %s, the last day data version %s records: the answer assumes nothing changed since",
          day, last, version)
}

as_date <- function(days) as.Date(days, origin = "1970-01-01")

# Integer day numbers of a Date, or of "YYYY-MM-DD" strings.
as_days <- function(date) {
  if (inherits(date, "Date")) {
    days <- as.integer(floor(unclass(date)))
  } else if (is.character(date)) {
    text <- trimws(date)
    days <- as.integer(as.Date(text, format = "%Y-%m-%d"))
    days[!grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text)] <- NA
  } else {
    stop(sprintf("expected a day (a Date, or a string such as '2013-06-01'), got %s",
                 class(date)[[1]]), call. = FALSE)
  }
  bad <- which(is.na(days))
  if (length(bad)) {
    given <- as.character(date[[bad[[1]]]])
    stop(sprintf("expected a day as YYYY-MM-DD, got %s", if (is.na(given)) "NA" else shown_value(given)),
         call. = FALSE)
  }
  days
}

# `value` once it is one of `choices` (the whole default vector: the first).
choose_one <- function(value, choices, what, expected) {
  if (identical(value, choices)) return(choices[[1]])
  if (!is.character(value) || length(value) != 1 || is.na(value) || !value %in% choices) {
    shown <- if (is.character(value) && length(value) == 1 && !is.na(value)) shown_value(value) else "given"
    stop(sprintf("unknown %s %s; expected %s", what, shown, expected), call. = FALSE)
  }
  value
}

choose_basis <- function(basis) choose_one(basis, c("any", "formal"), "basis", "'any' or 'formal'")

# The states with a membership record (sorted as Python sorts) and each placed row's
# coverage, read once per version.
membership_intervals <- function(version) {
  key <- paste0("memberships-", version)
  if (is.null(status_memory[[key]])) {
    rows <- load_csto("memberships", version)
    missing <- setdiff(NEEDED_COLUMNS, names(rows))
    if (length(missing)) {
      stop(sprintf(
        "data version %s records memberships without %s, which csto_status needs; use data version 0.2.0 or newer (version = NULL is the newest)",
        version, paste(sort(missing, method = "radix"), collapse = ", ")), call. = FALSE)
    }
    coverage <- interval_coverage(rows)
    placed <- !is.na(coverage$possible_from)
    status_memory[[key]] <- list(
      states = sort(unique(rows$state_id), method = "radix"),
      intervals = data.frame(state = rows$state_id, status = as.character(rows$status),
                             basis = as.character(rows$basis), coverage)[placed, ]
    )
  }
  status_memory[[key]]
}

# The days each row covers, as Python's interval_coverage: possible from the start's earliest
# day to the end's latest, sure from the start's latest (or the attested day, if earlier) to
# the end's earliest. Without an end: open if ongoing, else sure to the attested day at most.
# NA bounds are open ends (an NA possible_from: a row not placed in time).
interval_coverage <- function(rows) {
  day <- function(column) as.integer(rows[[column]])
  sure_from <- day("start_latest")
  attested <- day("attested_earliest")
  attested[is.na(attested) | is.na(day("attested_latest")) | attested != day("attested_latest")] <- NA
  has_attested <- !is.na(attested)
  # a missing column (release 0.2.0) counts as ongoing, a missing value as not
  ongoing <- if (is.null(rows$ongoing)) rep(TRUE, nrow(rows)) else rows$ongoing %in% TRUE
  has_end <- !is.na(rows$end)
  sure_until <- ifelse(has_end, day("end_earliest"),
                       ifelse(ongoing, NA_integer_,
                              ifelse(has_attested, pmax(sure_from, attested), sure_from)))
  data.frame(
    possible_from = day("start_earliest"),
    sure_from = ifelse(has_attested, pmin(sure_from, attested), sure_from),
    sure_until = as.integer(sure_until),
    possible_until = ifelse(has_end, day("end_latest"), NA_integer_)
  )
}

# Status codes and possible-status bits on `days` for `states`: two integer matrices
# [state, day]. Bit i of a mask stands for DAY_STATUSES[i + 1].
status_grid <- function(days, memberships, basis, states = memberships$states) {
  intervals <- memberships$intervals
  if (basis == "formal") intervals <- intervals[intervals$basis %in% "formal", ]
  intervals <- intervals[intervals$state %in% states, ]
  sure <- maybe <- matrix(0L, length(states), length(days))
  within <- function(from, until) days >= from & (is.na(until) | days <= until)
  for (i in seq_len(nrow(intervals))) {  # a few dozen rows, each over all days at once
    row <- match(intervals$state[[i]], states)
    bit <- bitwShiftL(1L, match(intervals$status[[i]], PRECEDENCE) - 1L)
    bounds <- intervals[i, ]
    maybe[row, ] <- bitwOr(maybe[row, ], bit * within(bounds$possible_from, bounds$possible_until))
    sure[row, ] <- bitwOr(sure[row, ], bit * within(bounds$sure_from, bounds$sure_until))
  }
  maybe <- bitwOr(maybe, sure)
  winner <- LOWEST_BIT[sure + 1L]  # the sure status first in precedence, "none" without one
  rivals <- bitwAnd(maybe, bitwShiftL(1L, winner) - 1L)
  shape <- function(values) matrix(values, length(states), length(days))
  list(states = states,
       status = shape(ifelse(rivals == 0L, winner, UNCERTAIN_CODE)),
       possible = shape(bitwOr(rivals, bitwShiftL(1L, winner))))
}

# For each mask 0..31 of PRECEDENCE bits, the code of its lowest bit (NONE_CODE for none).
LOWEST_BIT <- c(NONE_CODE, vapply(1:31, function(bits) {
  as.integer(log2(bitwAnd(bits, -bits)))
}, 0L))

# For each mask 0..63 of DAY_STATUSES bits ("uncertain" excluded), its statuses joined by "|".
POSSIBLE_NAMES <- vapply(0:63, function(bits) {
  paste(DAY_STATUSES[1:6][bitwAnd(bits, bitwShiftL(1L, 0:5)) != 0], collapse = "|")
}, "")

# The newest day of a release: its newest statement's, or held Council session's, earliest day.
last_day <- function(version) {
  key <- paste0("last-", version)
  if (is.null(status_memory[[key]])) {
    statements <- load_csto("statements", version)
    events <- load_csto("events", version)
    held <- events$kind %in% "council_session" & held_rows("events", events)
    days <- c(as.integer(statements$date_earliest), as.integer(events$date_earliest[held]))
    if (all(is.na(days))) {
      stop(sprintf("data version %s records no dated statement", version), call. = FALSE)
    }
    status_memory[[key]] <- max(days, na.rm = TRUE)
  }
  status_memory[[key]]
}

# A table's column, or NA for each row when the release lacks it.
column_or_na <- function(frame, name) {
  if (is.null(frame[[name]])) rep(NA, nrow(frame)) else frame[[name]]
}
