test_that("columns get the types of the release's datapackage.json", {
  url <- test_url()
  cache <- new_cache()
  with_csto_env(url = url, cache = cache, suppressMessages({
    states <- load_csto("states", "0.5.1")
    statements <- load_csto("statements", "0.5.1")
    memberships <- load_csto("memberships", "0.5.1")
  }))
  expect_s3_class(states, "data.frame")
  expect_identical(states$iso_numeric[states$id == "ARM"], "051")
  expect_type(states$cow_code, "integer")
  expect_s3_class(states$dissolved_earliest, "Date")
  expect_type(statements$witness_count, "integer")
  expect_type(statements$translated, "logical")
  expect_false(anyNA(statements$translated))
  expect_s3_class(statements$date_earliest, "Date")
  expect_true(mean(!is.na(statements$date_earliest)) > 0.5)
  expect_type(statements$text, "character")
  expect_type(memberships$ongoing, "logical")

  descriptor <- cached_descriptor(cache, "0.5.1")
  schema <- descriptor$resources[[match("statements", vapply(descriptor$resources, `[[`, "", "name"))]]$schema
  for (field in schema$fields) {
    levels <- unlist(field$constraints$enum)
    if (!is.null(levels)) {
      expect_s3_class(statements[[field$name]], "factor")
      expect_identical(levels(statements[[field$name]]), levels)
    }
  }
  expect_identical(names(statements), vapply(schema$fields, `[[`, "", "name"))
})

test_that("row counts are the release's and the text is kept verbatim", {
  url <- test_url()
  cache <- new_cache()
  rows <- trust_root_rows("0.5.1")
  with_csto_env(url = url, cache = cache, {
    for (table in c("states", "statements", "events", "sources")) {
      expect_equal(nrow(suppressMessages(load_csto(table, "0.5.1"))), rows[[table]], label = table)
    }
    statements <- suppressMessages(load_csto("statements"))
  })
  # Quotes, commas and newlines inside fields survive the CSV round trip.
  expect_true(any(grepl("\n", statements$text, fixed = TRUE) | grepl("\"", statements$text, fixed = TRUE)))
  expect_true(any(grepl(",", statements$text, fixed = TRUE)))
  expect_true(all(validUTF8(statements$text)))
})

test_that("an unknown table is refused with the release's tables", {
  url <- test_url()
  with_csto_env(url = url, {
    expect_error(suppressMessages(load_csto("treaties", "0.1.0")),
                 "table 'treaties' is not in data version 0.1.0; its tables: event_states, events, .*, states$")
  })
})

test_that("every table of every release loads with the types its descriptor gives", {
  url <- test_url()
  cache <- new_cache()
  with_csto_env(url = url, cache = cache, {
    for (version in csto_versions()) {
      rows <- trust_root_rows(version)
      for (table in names(rows)) {
        frame <- suppressMessages(load_csto(table, version))
        expect_equal(nrow(frame), rows[[table]], label = paste(version, table))
      }
      descriptor <- cached_descriptor(cache, version)
      for (resource in descriptor$resources) {
        frame <- load_csto(resource$name, version)
        for (field in resource$schema$fields) {
          expected <- if (is.null(field$constraints$enum)) R_CLASS[[field$type]] else "factor"
          expect_true(inherits(frame[[field$name]], expected),
                      label = paste(version, resource$name, field$name, "is", expected))
        }
      }
    }
  })
})
