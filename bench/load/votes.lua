-- Writes only: helpful votes on random reviews (one UPDATE each, committed); counts those acknowledged (204).
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
request = function()
  return wrk.format("PUT", "/reviews/" .. review() .. "/helpful")
end
response = function(status, headers, body)
  if status == 204 then voted = voted + 1 end
end
