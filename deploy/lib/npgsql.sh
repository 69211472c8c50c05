# Sourced by up.sh (the compose stack) and swarm/lab.sh: how the instances' Npgsql treats a database server that
# stops answering, the same in both stacks.
# - A server whose host vanished, or whose container stopped, drops packets silently: a connect to a stopped
#   container's address hung 8 s (measured from app1 while a standby was stopped). A connect is given up after 1 s
#   (Npgsql's own timeout, which marks the host offline until Host Recheck Seconds). It also bounds the cancel
#   request Npgsql sends, synchronously, when a statement times out (the service's reads given up send none:
#   src/Reviews/Store/StoreConnections.cs).
# - A kept connection to it is given up after ~10 s of unanswered keepalives: the first after 1 s idle, then 1 s
#   apart, Linux's 9 probes. (Npgsql counts both in seconds; until 2026-12-07 these read 1000, taken for ms.)
# - A statement timed out does not wait for the server to confirm its cancel request (Cancellation Timeout=-1): its
#   connection is dropped at once.
npgsql_failover="Timeout=1;Cancellation Timeout=-1;Tcp Keepalive=true;Tcp Keepalive Time=1;Tcp Keepalive Interval=1"
