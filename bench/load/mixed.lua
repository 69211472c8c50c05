-- 85% list, 10% meta, 4% helpful votes, 1% new reviews; counts the writes acknowledged (201, 204) so the
-- harness can check afterwards that every one of them is in the database.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local json = { ["Content-Type"] = "application/json" }
request = function()
  local roll = math.random(100)
  if roll <= 85 then
    return wrk.format("GET", "/reviews?product_id=" .. product())
  elseif roll <= 95 then
    return wrk.format("GET", "/reviews/meta?product_id=" .. product())
  elseif roll <= 99 then
    return wrk.format("PUT", "/reviews/" .. review() .. "/helpful")
  else
    local body = string.format('{"product_id": %d, "rating": %d, "summary": "Load test", "body": "Written by the load test, \\"mixed\\" scenario.", "recommend": true, "name": "loadtest", "email": "load@test.example", "photos": ["https://images.example/load.jpg"]}', product(), math.random(5))
    return wrk.format("POST", "/reviews", json, body)
  end
end
response = function(status, headers, body)
  if status == 201 then created = created + 1 elseif status == 204 then voted = voted + 1 end
end
