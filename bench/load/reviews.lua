dofile(os.getenv("LOAD_DIR") .. "/common.lua")
request = function() return wrk.format("GET", "/reviews?product_id=" .. product()) end
