test_that("files are cached as <root>/v1/<version>/<file> and a cached load downloads nothing", {
  url <- test_url()
  cache <- new_cache()
  with_csto_env(url = url, cache = cache,
                expect_message(first <- load_csto("states", "0.4.0"), "Downloading states.csv"))
  expect_setequal(list.files(file.path(cache, "v1", "0.4.0"), all.files = TRUE, no.. = TRUE),
                  c("datapackage.json", "states.csv"))
  # With the host gone, or offline, the cache alone serves the same table, silently.
  with_csto_env(url = DEAD_URL, cache = cache, expect_silent(again <- load_csto("states", "0.4.0")))
  expect_identical(again, first)
  with_csto_env(offline = "1", url = DEAD_URL, cache = cache,
                expect_silent(load_csto("states", "0.4.0")))
})

test_that("offline with an empty cache names the missing file", {
  with_csto_env(offline = "true", url = DEAD_URL, expect_error(
    load_csto("states", "0.5.1"),
    "datapackage.json of data version 0.5.1 is missing in the cache .* offline mode is on"
  ))
})

test_that("a changed cached file is downloaded again, or refused offline", {
  url <- test_url()
  cache <- new_cache()
  with_csto_env(url = url, cache = cache, original <- suppressMessages(load_csto("states")))
  path <- file.path(cache, "v1", utils::tail(csto_versions(), 1), "states.csv")
  tamper(path)
  with_csto_env(url = url, cache = cache,
                expect_message(again <- load_csto("states"), "Downloading states.csv"))
  expect_identical(again, original)
  tamper(path)
  with_csto_env(offline = "on", url = url, cache = cache,
                expect_error(load_csto("states"), "states.csv of data version .* is changed"))
  expect_false(file.exists(path))
})

test_that("a download that does not match the trust root is refused and not kept", {
  # The host serves the newest release with one byte of states.csv changed.
  url <- test_url("CSTO_TEST_TAMPERED_URL")
  cache <- new_cache()
  newest <- utils::tail(csto_versions(), 1)
  with_csto_env(url = url, cache = cache, error <- tryCatch(
    suppressMessages(load_csto("states")), error = conditionMessage
  ))
  expected <- trust_root_file(newest, "states.csv")
  expect_match(error, paste("states.csv of data version", newest, "downloaded from .* does not match the trust root"))
  expect_match(error, sprintf("expected %d bytes with sha256 %s, got %d bytes with sha256 [0-9a-f]{64}",
                              expected$bytes, expected$sha256, expected$bytes))
  expect_equal(list.files(file.path(cache, "v1", newest), all.files = TRUE, no.. = TRUE),
               "datapackage.json")
})

test_that("a failed download shows no login or query value and leaves nothing behind", {
  url <- sub("^http://", "http://reader:hunter22@", test_url())
  cache <- new_cache()
  with_csto_env(url = paste0(url, "missing-{version}/?token=s3cret-value"), cache = cache,
                error <- tryCatch(suppressMessages(load_csto("states")), error = conditionMessage))
  expect_match(error, "could not download http://***@", fixed = TRUE)
  expect_match(error, "token=***", fixed = TRUE)
  expect_match(error, "404")
  expect_false(grepl("hunter22|reader|s3cret", error))
  expect_length(list.files(cache, recursive = TRUE, all.files = TRUE), 0)
})
