# Panels computed from a release's tables, as Python's csto_dataset.panels computes them: every
# status and day count comes from status_grid(), the columns are those of panels.json.

UNITS <- c("state-year", "state-day", "dyad-year")
FIRST_DAY <- as.integer(as.Date("1992-01-01"))  # the treaty was signed on 15 May 1992
CSC <- "csto-csc"
MINISTERIAL <- c("csto-cfm", "csto-cmd", "csto-cssc")
ATTENDED <- c("attended", "attended_by_video")
SIGNED <- c("signed", "signed_with_reservation")
DECLARATIONS <- c("declaration", "statement")
COLUMN_WORD <- c(suspended = "suspended", participation_frozen = "frozen", member = "member",
                 signatory = "signatory", observer = "observer")

csto_panel <- function(unit = c("state-year", "state-day", "dyad-year"), basis = c("any", "formal"),
                       version = NULL, start = NULL, end = NULL, directed = TRUE) {
  unit <- choose_one(unit, UNITS, "unit", paste("one of", paste(UNITS, collapse = ", ")))
  basis <- choose_basis(basis)
  if (!isTRUE(directed) && !isFALSE(directed)) stop("directed must be TRUE or FALSE", call. = FALSE)
  if (unit != "state-day" && (!is.null(start) || !is.null(end))) {
    stop("start and end choose the days of the state-day panel only", call. = FALSE)
  }
  if (!directed && unit != "dyad-year") {
    stop("directed = FALSE is for the dyad-year panel only", call. = FALSE)
  }
  version <- find_release(version)$version
  last <- last_day(version)
  first <- FIRST_DAY
  if (unit == "state-day") {
    first <- if (is.null(start)) first else one_day(start)
    finish <- if (is.null(end)) last else one_day(end)
    if (finish < first) {
      stop(sprintf("end %s is before start %s", as_date(finish), as_date(first)), call. = FALSE)
    }
    if (finish > last) {
      stop(sprintf("end %s is after %s, the last day the data records; choose an earlier end",
                   as_date(finish), as_date(last)), call. = FALSE)
    }
    last <- finish
  }
  days <- first:last
  grid <- status_grid(days, membership_intervals(version), basis)
  codes <- state_codes(version, grid$states)
  columns <- switch(unit,
    "state-year" = state_year(grid, days, codes, version),
    "state-day" = state_day(grid, days, codes),
    "dyad-year" = dyad_year(grid, days, codes, directed)
  )
  typed_panel(unit, columns)
}

one_day <- function(date) {
  if (length(date) != 1) stop("start and end are one day each", call. = FALSE)
  as_days(date)
}

year_of <- function(days) as.POSIXlt(as_date(days))$year + 1900L

# Each state's Correlates of War and Gleditsch and Ward numbers (an older release lacks the
# latter: NA).
state_codes <- function(version, states) {
  table <- panel_table(version, "states", c("id", "cow_code"))
  row <- match(states, table$id)
  list(cow = table$cow_code[row], gw = as.integer(column_or_na(table, "gw_code")[row]))
}

# A table the panels need, refused with a reason when the release lacks it or a column.
panel_table <- function(version, table, columns) {
  if (!table %in% names(find_release(version)$rows)) {
    stop(sprintf("data version %s has no table %s, which csto_panel needs; use a newer data version (version = NULL is the newest)",
                 version, table), call. = FALSE)
  }
  frame <- load_csto(table, version)
  missing <- setdiff(columns, names(frame))
  if (length(missing)) {
    stop(sprintf("data version %s records %s without %s, which csto_panel needs; use a newer data version (version = NULL is the newest)",
                 version, table, paste(missing, collapse = ", ")), call. = FALSE)
  }
  frame
}

# Day counts of a logical [state, day] matrix per year: an integer [year, state] matrix,
# which as.vector() lists state by state, year by year (the panels' row order).
year_sums <- function(covered, years_of_day) rowsum(t(covered) + 0L, years_of_day)

has_bit <- function(masks, code) array(bitwAnd(masks, bitwShiftL(1L, code)) != 0L, dim(masks))

state_year <- function(grid, days, codes, version) {
  years_of_day <- year_of(days)
  years <- unique(years_of_day)
  starts <- match(years, years_of_day)
  ends <- c(starts[-1] - 1L, length(days))
  states <- grid$states
  n_years <- length(years)
  columns <- list(
    state_id = rep(states, each = n_years),
    cow_code = rep(codes$cow, each = n_years),
    gw_code = rep(codes$gw, each = n_years),
    year = rep(years, times = length(states)),
    days_in_data = rep(ends - starts + 1L, times = length(states)),
    status_jan1 = DAY_STATUSES[as.vector(t(grid$status[, starts, drop = FALSE])) + 1L],
    status_dec31 = DAY_STATUSES[as.vector(t(grid$status[, ends, drop = FALSE])) + 1L]
  )
  # 31 December is past the data in the last year, unless that is the last day
  past <- as.integer(as.Date(sprintf("%d-12-31", columns$year))) > days[[length(days)]]
  columns$status_dec31[past] <- NA
  for (code in seq_along(PRECEDENCE) - 1L) {
    word <- COLUMN_WORD[[PRECEDENCE[[code + 1L]]]]
    columns[[sprintf("days_%s_sure", word)]] <- as.vector(year_sums(grid$status == code, years_of_day))
    columns[[sprintf("days_%s_possible", word)]] <-
      as.vector(year_sums(has_bit(grid$possible, code), years_of_day))
  }
  columns$days_uncertain <- as.vector(year_sums(grid$status == UNCERTAIN_CODE, years_of_day))
  c(columns, event_counts(version, columns$state_id, columns$year, states, years, days))
}

state_day <- function(grid, days, codes) {
  n_days <- length(days)
  list(
    state_id = rep(grid$states, each = n_days),
    cow_code = rep(codes$cow, each = n_days),
    gw_code = rep(codes$gw, each = n_days),
    date = rep(days, times = length(grid$states)),
    status = DAY_STATUSES[as.vector(t(grid$status)) + 1L],
    possible = POSSIBLE_NAMES[as.vector(t(grid$possible)) + 1L]
  )
}

# Pairs of states in the years both were possibly members on a common day.
dyad_year <- function(grid, days, codes, directed) {
  member <- match("member", PRECEDENCE) - 1L
  years_of_day <- year_of(days)
  years <- unique(years_of_day)
  n <- length(grid$states)
  a <- rep(seq_len(n), each = n)
  b <- rep(seq_len(n), times = n)
  keep <- if (directed) a != b else a < b
  a <- a[keep]
  b <- b[keep]
  sure <- grid$status == member
  possible <- has_bit(grid$possible, member)
  joint <- function(covered) year_sums(covered[a, , drop = FALSE] & covered[b, , drop = FALSE], years_of_day)
  joint_possible <- joint(possible)
  joint_sure <- joint(sure)
  found <- which(joint_possible > 0L, arr.ind = TRUE)  # pair by pair, year by year
  first <- a[found[, 2]]
  second <- b[found[, 2]]
  list(
    state_id1 = grid$states[first], state_id2 = grid$states[second],
    ccode1 = codes$cow[first], ccode2 = codes$cow[second],
    gwcode1 = codes$gw[first], gwcode2 = codes$gw[second],
    year = years[found[, 1]],
    days_joint_sure = joint_sure[found],
    days_joint_possible = joint_possible[found]
  )
}

# The year of partial dates whose earliest and latest day fall in one year; NA otherwise.
partial_year <- function(earliest, latest) {
  first <- year_of(earliest)
  ifelse(!is.na(first) & first == year_of(latest), first, NA_integer_)
}

# What the state-year panel counts besides statuses, for the rows (`row_states`, `row_years`).
# A record counts in a year only when its date lies within that year, and only if it was held
# (`held_rows`).
event_counts <- function(version, row_states, row_years, states, years, days) {
  read <- function(table, columns) panel_table(version, table, columns)
  events <- read("events", c("id", "kind", "organization_id", "host_state_id", "date_earliest",
                             "date_latest", "end", "end_earliest", "end_latest",
                             "announced_only", "cancelled"))
  held <- events[held_rows("events", events), ]
  event_year <- partial_year(held$date_earliest, held$date_latest)
  body <- ifelse(held$organization_id %in% CSC, "csc",
                 ifelse(held$organization_id %in% MINISTERIAL, "ministerial", NA))
  body[!held$kind %in% "council_session" | is.na(event_year)] <- NA
  session <- !is.na(body)
  per_year <- list(year = event_year[session], what = body[session])
  per_state <- list(state = held$host_state_id[session], year = event_year[session],
                    what = paste0(body[session], "_hosted"))
  add <- function(state, year, what) {
    per_state <<- Map(c, per_state, list(as.character(state), year, rep_len(what, length(state))))
  }

  attendances <- read("attendances", c("event_id", "state_id", "status", "announced_only"))
  event <- match(attendances$event_id, held$id)
  attended <- !is.na(body[event]) & attendances$status %in% ATTENDED &
    held_rows("attendances", attendances)
  add(attendances$state_id[attended], event_year[event][attended],
      paste0(body[event][attended], "_attended"))

  documents <- read("documents", c("id", "event_id", "kind", "announced_only"))
  document_year <- event_year[match(documents$event_id, held$id)]
  declared <- documents$kind %in% DECLARATIONS & held_rows("documents", documents) &
    !is.na(document_year) & document_year != 0L
  per_year <- Map(c, per_year, list(document_year[declared], rep("declarations", sum(declared))))
  signatures <- read("document_signatures", c("document_id", "state_id", "status", "inferred"))
  signature_year <- document_year[declared][match(signatures$document_id, documents$id[declared])]
  what <- ifelse(signatures$status %in% SIGNED,
                 ifelse(signatures$inferred %in% TRUE, "signed_inferred", "signed"),
                 ifelse(signatures$status %in% "declined", "declined", NA))
  add(signatures$state_id[!is.na(what)], signature_year[!is.na(what)], what[!is.na(what)])

  exercises <- read("exercises", c("id", "status", "host_state_id", "start_earliest", "start_latest"))
  exercises <- exercises[held_rows("exercises", exercises), ]
  exercise_year <- partial_year(exercises$start_earliest, exercises$start_latest)
  add(exercises$host_state_id, exercise_year, "exercises_hosted")
  taking_part <- read("exercise_states", c("exercise_id", "state_id"))
  add(taking_part$state_id, exercise_year[match(taking_part$exercise_id, exercises$id)],
      "exercises_joined")
  statements <- read("statements", c("speaker_state_id", "date_earliest", "date_latest"))
  add(statements$speaker_state_id, partial_year(statements$date_earliest, statements$date_latest),
      "statements")
  initiatives <- read("initiatives", c("proposer_state_id", "date_earliest", "date_latest"))
  add(initiatives$proposer_state_id,
      partial_year(initiatives$date_earliest, initiatives$date_latest), "initiatives")

  # counted(records, keys...)(what): how many records each row's keys and `what` have
  counted <- function(records, ...) {
    known <- Reduce(`&`, lapply(records, Negate(is.na)))  # a record without state or year
    table <- table(do.call(paste, c(lapply(records, function(x) x[known]), sep = "\r")))
    keys <- paste(..., sep = "\r")
    function(what) {
      found <- as.vector(table[paste(keys, what, sep = "\r")])
      ifelse(is.na(found), 0L, found)
    }
  }
  held_in <- counted(per_year, row_years)
  of_state <- counted(per_state, row_states, row_years)
  links <- read("event_states", c("event_id", "state_id"))
  chairs <- chaired(held[held$kind %in% "chairmanship", ], links, states, years, days)
  list(
    chaired_sure = as.vector(chairs$sure),
    chaired_possible = as.vector(chairs$possible),
    csc_sessions_held = held_in("csc"),
    csc_sessions_hosted = of_state("csc_hosted"),
    csc_sessions_attended = of_state("csc_attended"),
    ministerial_sessions_held = held_in("ministerial"),
    ministerial_sessions_hosted = of_state("ministerial_hosted"),
    ministerial_sessions_attended = of_state("ministerial_attended"),
    declarations_adopted = held_in("declarations"),
    declarations_signed = of_state("signed"),
    declarations_signed_inferred = of_state("signed_inferred"),
    declarations_declined = of_state("declined"),
    exercises_hosted = of_state("exercises_hosted"),
    exercises_joined = of_state("exercises_joined"),
    statements_made = of_state("statements"),
    initiatives_proposed = of_state("initiatives")
  )
}

# The years each state surely and possibly chaired the organization: logical [year, state]
# matrices. A chairmanship without an end is sure on its first day only.
chaired <- function(chairmanships, links, states, years, days) {
  links <- links[links$event_id %in% chairmanships$id, ]
  sure <- possible <- matrix(FALSE, length(years), length(states))
  if (!nrow(links)) return(list(sure = sure, possible = possible))
  event <- chairmanships[match(links$event_id, chairmanships$id), ]
  coverage <- interval_coverage(data.frame(
    start_earliest = event$date_earliest, start_latest = event$date_latest, end = event$end,
    end_earliest = event$end_earliest, end_latest = event$end_latest, ongoing = FALSE,
    attested_earliest = as.Date(NA), attested_latest = as.Date(NA)
  ))
  first <- days[[1]]
  last <- days[[length(days)]]
  in_years <- function(begin, end) {
    begin <- max(begin, first)
    end <- min(if (is.na(end)) last else end, last)
    begin <= end & years >= year_of(begin) & years <= year_of(end)
  }
  for (i in seq_len(nrow(links))) {  # one row per chairmanship
    state <- match(links$state_id[[i]], states)
    if (is.na(state) || is.na(coverage$possible_from[[i]])) next
    span <- coverage[i, ]
    possible[, state] <- possible[, state] | in_years(span$possible_from, span$possible_until)
    sure[, state] <- sure[, state] | in_years(span$sure_from, span$sure_until)
  }
  list(sure = sure, possible = possible | sure)
}

# panels.json (generated from the Python package's models), read once.
panels_spec <- function() {
  if (is.null(status_memory$panels)) {
    status_memory$panels <- jsonlite::fromJSON(extdata_path("panels.json"), simplifyVector = FALSE)
  }
  status_memory$panels
}

# The panels' columns.
panel_columns <- function(unit) panels_spec()$panels[[unit]]$columns

# Whether each row of `table` was held: no field the models mark says it was only announced or
# cancelled (panels.json's `not_held`, the marks Python's `held()` reads too).
held_rows <- function(table, rows) {
  keep <- rep(TRUE, nrow(rows))
  for (mark in panels_spec()$not_held[[table]]) {
    values <- as.character(column_or_na(rows, mark$field))
    keep <- keep & !(values %in% as.character(unlist(mark$values)))
  }
  keep
}

# `columns` in the order and with the R types of panels.json.
typed_panel <- function(unit, columns) {
  specs <- panel_columns(unit)
  typed <- lapply(specs, function(spec) {
    values <- columns[[spec$name]]
    if (!is.null(spec$enum)) return(factor(values, levels = unlist(spec$enum)))
    switch(spec$type,
      integer = as.integer(values),
      boolean = as.logical(values),
      date = as_date(values),
      as.character(values)
    )
  })
  names(typed) <- vapply(specs, function(spec) spec$name, "")
  list2DF(typed)
}
