"""Warm-up for bench/load.sh: requests every product of the hot range (the last 10%) once, list and meta,
on keep-alive connections from a few threads; prints how many requests it made.
  warm.py PORT PRODUCTS [HOST]      (HOST: 127.0.0.1, or an instance on the deploy stack's network)"""
import http.client
import sys
from concurrent.futures import ThreadPoolExecutor

port, products = int(sys.argv[1]), int(sys.argv[2])
host = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
first = products - products // 10 + 1
workers = 16


def warm(worker):
    connection = http.client.HTTPConnection(host, port)
    done = 0
    for product in range(first + worker, products + 1, workers):
        for path in (f"/reviews?product_id={product}", f"/reviews/meta?product_id={product}"):
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"warm-up: {path} answered {response.status}")
            done += 1
    return done


with ThreadPoolExecutor(workers) as pool:
    print(sum(pool.map(warm, range(workers))))
