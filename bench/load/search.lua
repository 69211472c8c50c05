-- A hot product's reviews searched for a word that some of them hold (the generator's words: SampleText.cs), or
-- for one of WORDS (comma-separated) when set.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local words = {"comfortable", "shipping", "gift", "small", "wash", "soft", "price"}
if os.getenv("WORDS") then
  words = {}
  for word in os.getenv("WORDS"):gmatch("[^,]+") do table.insert(words, word) end
end
request = function()
  return wrk.format("GET", "/reviews?product_id=" .. product() .. "&q=" .. words[math.random(#words)])
end
