test_that("versions are listed oldest first", {
  versions <- csto_versions()
  expect_type(versions, "character")
  expect_true("0.1.0" %in% versions)
  expect_equal(versions, versions[order(numeric_version(versions))])
})

test_that("a citation names the release, as text and as BibTeX", {
  newest <- utils::tail(csto_versions(), 1)
  expect_identical(csto_cite(), csto_cite(newest, "text"))
  text <- csto_cite("0.1.0")
  expect_match(text, "^csto-dataset contributors \\(2026\\)\\. .*\\. Data release 0\\.1\\.0\\. https://")
  bibtex <- csto_cite("0.1.0", "bibtex")
  expect_match(bibtex, "^@misc\\{csto_dataset_0_1_0,\n  author = \\{\\{csto-dataset contributors\\}\\},\n")
  expect_match(bibtex, "  version = \\{0.1.0\\},\n  note = \\{Data release 0.1.0\\},\n")
  expect_match(bibtex, "\n\\}\n$")
})

test_that("a DOI, once minted, replaces the URL and is cited in BibTeX", {
  citation <- list(authors = list("A & B", "C_D"), title = "T {x} ~ 50%", year = "2026",
                   version = "9.9.9", url = "https://example.org", doi = "10.5281/zenodo.1")
  expect_equal(cstodataset:::cite_text(citation),
               "A & B, C_D (2026). T {x} ~ 50%. Data release 9.9.9. https://doi.org/10.5281/zenodo.1")
  bibtex <- cstodataset:::cite_bibtex(citation)
  expect_match(bibtex, "author = {{A \\& B} and {C\\_D}}", fixed = TRUE)
  expect_match(bibtex, "title = {{T \\{x\\} \\~{} 50\\%}}", fixed = TRUE)
  expect_match(bibtex, "  doi = {10.5281/zenodo.1},\n}\n", fixed = TRUE)
})

test_that("an unknown version or format is refused", {
  expect_error(csto_cite("9.9.9"), "data version '9.9.9' is not a release; known versions: 0.1.0")
  with_csto_env(url = DEAD_URL, expect_error(load_csto("states", "9.9.9"), "known versions: .*0\\.5\\.1"))
  expect_error(csto_cite(format = "cff"), "should be one of")
})
