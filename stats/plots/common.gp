# SPDX-License-Identifier: MIT
# Shared set-up for terrace-plot's scripts: terminal, output and look.
# In: fmt ('png' or 'svg'), outfile, width, height (pixels).
# pngcairo draws anti-aliased text; fall back to libgd's png terminal where cairo is missing.

reset
if (fmt eq 'svg') {
    set terminal svg size width,height dynamic noenhanced font 'Sans,12' background rgb 'white'
} else {
    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
        set terminal pngcairo size width,height noenhanced font 'Sans,10' background rgb 'white'
    } else {
        set terminal png size width,height noenhanced font 'Sans' 10 background rgb 'white'
    }
}
set output outfile
set datafile missing 'NaN'
set grid xtics ytics lc rgb '#dddddd' lt 1
set border 3
set tics nomirror
set autoscale xfix
set key noenhanced
set title font ",13"
# Eight distinguishable colours (Okabe-Ito), used for nodes and for runs alike.
set linetype 1 lc rgb '#0072B2' lw 2 pt 7 ps 0.8
set linetype 2 lc rgb '#D55E00' lw 2 pt 5 ps 0.8
set linetype 3 lc rgb '#009E73' lw 2 pt 9 ps 0.8
set linetype 4 lc rgb '#CC79A7' lw 2 pt 11 ps 0.8
set linetype 5 lc rgb '#E69F00' lw 2 pt 13 ps 0.8
set linetype 6 lc rgb '#56B4E9' lw 2 pt 3 ps 0.8
set linetype 7 lc rgb '#000000' lw 2 pt 1 ps 0.8
set linetype 8 lc rgb '#F0E442' lw 2 pt 2 ps 0.8
set linetype cycle 8
