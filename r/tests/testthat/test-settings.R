test_that("malformed settings are refused before any I/O, naming the variable", {
  bad <- list(
    list(offline = "maybe", pattern = "CSTO_DATASET_OFFLINE='maybe'.*1, true, yes or on"),
    list(timeout = "0", pattern = "CSTO_DATASET_TIMEOUT='0' is not a number of seconds above 0"),
    list(timeout = "soon", pattern = "CSTO_DATASET_TIMEOUT='soon'"),
    list(timeout = "Inf", pattern = "CSTO_DATASET_TIMEOUT"),
    list(url = "ftp://mirror.example/csto/", pattern = "CSTO_DATASET_URL=.*not an http or https URL"),
    list(url = "https:///no-host/", pattern = "CSTO_DATASET_URL=.*names no host"),
    list(url = "https://mirror.example/a b/", pattern = "CSTO_DATASET_URL=.*space")
  )
  for (case in bad) {
    cache <- new_cache()
    with_csto_env(
      url = if (is.null(case$url)) DEAD_URL else case$url,
      offline = if (is.null(case$offline)) NA else case$offline,
      timeout = if (is.null(case$timeout)) NA else case$timeout,
      cache = cache,
      expect_error(load_csto("states"), case$pattern)
    )
    expect_false(file.exists(cache))
  }
})

test_that("offline and online words are read trimmed and in any case", {
  for (word in c("1", " TRUE ", "Yes", "on")) {
    with_csto_env(offline = word, url = DEAD_URL,
                  expect_error(load_csto("states"), "offline mode is on"))
  }
  for (word in c("", "0", "False", " no", "OFF")) {
    with_csto_env(offline = word, url = DEAD_URL,
                  expect_error(suppressMessages(load_csto("states")), "could not download"))
  }
})

test_that("no login or query value of CSTO_DATASET_URL appears in an error", {
  with_csto_env(
    url = "ftp://reader:hunter22@mirror.example/csto/?token=s3cret-value",
    error <- tryCatch(load_csto("states"), error = conditionMessage)
  )
  expect_match(error, "CSTO_DATASET_URL", fixed = TRUE)
  expect_match(error, "***@mirror.example", fixed = TRUE)
  expect_false(grepl("hunter22|reader|s3cret", error))
  with_csto_env(
    url = "http://reader:hunter22@127.0.0.1:9/csto/{version}/?token=s3cret-value",
    error <- tryCatch(suppressMessages(load_csto("states")), error = conditionMessage)
  )
  expect_match(error, "could not download http://***@127.0.0.1:9/csto/", fixed = TRUE)
  expect_false(grepl("hunter22|reader|s3cret", error))
})

test_that("the cache root follows CSTO_DATASET_CACHE, else the user cache folder", {
  with_csto_env(cache = "~/csto", expect_equal(cstodataset:::cache_root(), path.expand("~/csto")))
  skip_on_os(c("windows", "mac"))
  old <- Sys.getenv("XDG_CACHE_HOME", unset = NA)
  on.exit(set_env(c(XDG_CACHE_HOME = old)), add = TRUE)
  Sys.setenv(XDG_CACHE_HOME = "/somewhere/cache")
  with_csto_env(cache = NA, expect_equal(cstodataset:::cache_root(), "/somewhere/cache/csto-dataset"))
  Sys.unsetenv("XDG_CACHE_HOME")
  with_csto_env(cache = NA, expect_equal(cstodataset:::cache_root(), path.expand("~/.cache/csto-dataset")))
})

test_that("release URLs are built as the Python package builds them", {
  folder <- cstodataset:::release_folder_url
  file <- cstodataset:::file_url
  expect_equal(folder("0.5.1"),
               "https://github.com/csto-dataset/csto-dataset/releases/download/data-v0.5.1/")
  expect_equal(folder("0.5.1", "https://m.example/csto"), "https://m.example/csto/0.5.1/")
  expect_equal(folder("0.5.1", "https://m.example/csto/?sig=a%2Fb&x=1"),
               "https://m.example/csto/0.5.1/?sig=a%2Fb&x=1")
  expect_equal(folder("0.5.1", "https://m.example/v{version}/files?k=v"),
               "https://m.example/v0.5.1/files?k=v")
  expect_equal(file("https://m.example/csto/0.5.1/?sig=abc", "states.csv"),
               "https://m.example/csto/0.5.1/states.csv?sig=abc")
  expect_equal(file("https://m.example/files", "a b.csv"), "https://m.example/files/a%20b.csv")
})

test_that("redaction hides logins and query values", {
  redact <- cstodataset:::redact_url
  expect_equal(redact("https://u:p@h.example/x?sig=abc&flag#top"),
               "https://***@h.example/x?sig=***&***#top")
  expect_equal(redact("https://h.example/x/"), "https://h.example/x/")
  scrubbed <- cstodataset:::scrub("cannot open URL 'https://u:pw@h/x?sig=abc': 404", "pw")
  expect_equal(scrubbed, "cannot open URL 'https://***@h/x?sig=***': 404")
})
