# SPDX-License-Identifier: MIT
# (a) Share of memory accesses served by each node, per epoch, stacked to 100 %.
# In: datafile with columns time, then the running sum of shares (%) up to node k for
# k = 1..n_nodes; node_id[k] names node k; plot_title, xunit.

set title plot_title
set xlabel sprintf('simulated time (%s)', xunit)
set ylabel 'share of memory accesses (%)'
set yrange [0:100]
set key outside right top reverse Left
set style fill solid 0.8 noborder
# Draw the tallest band first; each lower band paints over it, leaving the stack visible.
plot for [k=n_nodes:1:-1] datafile using 1:(column(k + 1)) with filledcurves x1 \
     lc k title sprintf('node %d', node_id[k])
