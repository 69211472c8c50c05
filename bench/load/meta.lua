dofile(os.getenv("LOAD_DIR") .. "/common.lua")
request = function() return wrk.format("GET", "/reviews/meta?product_id=" .. product()) end
