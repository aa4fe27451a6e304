library(testthat)
library(cstodataset)

test_check("cstodataset")
