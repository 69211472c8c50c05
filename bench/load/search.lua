-- A hot product's reviews searched for a word that some of them hold (the generator's words: SampleText.cs).
-- TOP_PRODUCT set: always that product (the one with the most reviews), so every search reads all of them.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local words = {"comfortable", "shipping", "gift", "small", "wash", "soft", "price"}
local top = os.getenv("TOP_PRODUCT")
request = function()
  return wrk.format("GET", "/reviews?product_id=" .. (top or product()) .. "&q=" .. words[math.random(#words)])
end
