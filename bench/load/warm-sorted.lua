-- Warm-up for reviews-sorted: every hot product's first two pages in each sort, once each (the keys dealt to wrk's
-- threads in turn; arguments: products, reviews, threads); after the last one it starts over (those are hits).
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local sorts = { "newest", "helpful", "relevant" }
local sent = 0
local common_init = init
init = function(args)
  common_init(args)
  threads_count = tonumber(args[3])
end
request = function()
  local key = (sent * threads_count + number - 1) % ((products - first_product + 1) * 6)
  sent = sent + 1
  return wrk.format("GET", string.format("/reviews?product_id=%d&sort=%s&page=%d",
    first_product + math.floor(key / 6), sorts[key % 3 + 1], math.floor(key / 3) % 2 + 1))
end
