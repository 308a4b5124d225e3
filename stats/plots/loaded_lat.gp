# SPDX-License-Identifier: MIT
# (d) Loaded read latency per node (node<N>.loaded_lat_ns) and the bandwidth offered to it
# in the epoch (node<N>.offered_gbps, right axis, dashed).
# In: datafile with columns time, n_nodes latencies, then n_nodes bandwidths; node_id[k];
# has_bw (0/1); plot_title, xunit.

set title plot_title
set xlabel sprintf('simulated time (%s)', xunit)
set ylabel 'loaded latency (ns)'
set yrange [0:*]
set ytics nomirror
set key outside right top
if (has_bw) {
    set y2label 'offered bandwidth (GB/s)'
    set y2range [0:*]
    set y2tics
    plot for [k=1:n_nodes] datafile using 1:(column(1 + k)) with linespoints lc k \
             title sprintf('node %d latency', node_id[k]), \
         for [k=1:n_nodes] datafile using 1:(column(1 + n_nodes + k)) axes x1y2 \
             with lines dt 2 lc k title sprintf('node %d bandwidth', node_id[k])
} else {
    plot for [k=1:n_nodes] datafile using 1:(column(1 + k)) with linespoints lc k \
             title sprintf('node %d latency', node_id[k])
}
