-- A hot product's reviews narrowed by stars (GET /reviews?rating=…).
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local stars = {"5", "4,5", "1,2", "3"}
request = function() return wrk.format("GET", "/reviews?product_id=" .. product() .. "&rating=" .. stars[math.random(#stars)]) end
