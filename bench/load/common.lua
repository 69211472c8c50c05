-- Shared by the scenarios. Arguments after `--`: the highest product id and the highest review id.
-- Products are drawn uniformly from the last 10% (the convention for this API: cold, high ids), or always
-- TOP_PRODUCT when set (the one with the most reviews: the worst case of a page); reviews for writes from all real ids.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  table.insert(threads, thread)
end

function init(args)
  products = tonumber(args[1])
  reviews = tonumber(args[2])
  first_product = products - math.floor(products / 10) + 1
  math.randomseed(os.time() * 1000 + number)
  created, voted = 0, 0
end

local top = tonumber(os.getenv("TOP_PRODUCT") or "")

function product()
  return top or math.random(first_product, products)
end

function review()
  return math.random(1, reviews)
end

-- One line the harness reads: counts, errors (non-2xx apart from socket errors) and latency in µs.
function done(summary, latency, requests)
  local acked_created, acked_votes = 0, 0
  for _, thread in ipairs(threads) do
    acked_created = acked_created + (thread:get("created") or 0)
    acked_votes = acked_votes + (thread:get("voted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "created": %d, "voted": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, acked_created, acked_votes))
end
