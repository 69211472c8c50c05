dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local sorts = { "newest", "helpful", "relevant" }
request = function()
  return wrk.format("GET", string.format("/reviews?product_id=%d&sort=%s&page=%d", product(), sorts[math.random(3)], math.random(2)))
end
