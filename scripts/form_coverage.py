#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instruction-form coverage of the CPU core tests.

Reads the dynamic instruction mixes (shared/data/insn-mix-boot.tsv, insn-mix-userland.tsv),
the differential harness's form table (tests/diff/forms.tab) and the forms the bare-metal
tests cover (tests/metal/forms.txt, one form name per line, '#' comments), and prints every
form with its share of executions and where it is covered:
  diff     differential test against the host CPU (tests/diff)
  metal    bare-metal test (tests/metal)
  missing  neither; "missing (metal)" when forms.tab marks it as bare-metal only
then the covered share of executions per table. --check exits 1 unless every form is covered.
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_data_dir():
    for cand in (os.path.join(ROOT, '..', 'shared', 'data'), '/work/shared/data'):
        if os.path.isfile(os.path.join(cand, 'insn-mix-userland.tsv')):
            return os.path.normpath(cand)
    return os.path.join(ROOT, '..', 'shared', 'data')


def read_mix(path):
    """form -> count, in file order."""
    counts = {}
    with open(path, encoding='utf-8') as f:
        header = None
        for line in f:
            if line.startswith('#'):
                continue
            cols = line.rstrip('\n').split('\t')
            if header is None:
                header = cols
                continue
            row = dict(zip(header, cols))
            counts[row['form']] = counts.get(row['form'], 0) + int(row['count'])
    return counts


def read_forms_tab(path):
    """(diff forms, bare-metal-only forms) of the harness table."""
    diff, metal = set(), set()
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            cols = [c.strip() for c in line.split(';')]
            if len(cols) < 3:
                raise SystemExit(f'{path}: bad line: {line}')
            (metal if cols[1] == 'METAL' else diff).add(cols[0])
    return diff, metal


def read_metal(path):
    forms = set()
    if not os.path.isfile(path):
        return forms
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                forms.add(line)
    return forms


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default=default_data_dir(), help='folder with insn-mix-*.tsv')
    ap.add_argument('--forms', default=os.path.join(ROOT, 'tests', 'diff', 'forms.tab'))
    ap.add_argument('--metal', default=os.path.join(ROOT, 'tests', 'metal', 'forms.txt'))
    ap.add_argument('--check', action='store_true', help='exit 1 unless every form is covered')
    ap.add_argument('--missing-only', action='store_true', help='list only uncovered forms')
    args = ap.parse_args()

    mixes = {}
    for name in ('userland', 'boot'):
        path = os.path.join(args.data, f'insn-mix-{name}.tsv')
        if not os.path.isfile(path):
            print(f'form_coverage: {path} not found', file=sys.stderr)
            return 2
        mixes[name] = read_mix(path)
    diff, metal_only = read_forms_tab(args.forms)
    metal = read_metal(args.metal)

    totals = {k: sum(v.values()) for k, v in mixes.items()}
    forms = sorted(set(mixes['userland']) | set(mixes['boot']),
                   key=lambda f: -(mixes['userland'].get(f, 0) / totals['userland'] +
                                   mixes['boot'].get(f, 0) / totals['boot']))

    def status(form):
        if form in diff:
            return 'diff'
        if form in metal:
            return 'metal'
        return 'missing (metal)' if form in metal_only else 'missing'

    covered = {k: 0 for k in mixes}
    n_missing = 0
    print(f"{'form':<28} {'userland %':>10} {'boot %':>10}  covered")
    for form in forms:
        st = status(form)
        for k in mixes:
            if not st.startswith('missing'):
                covered[k] += mixes[k].get(form, 0)
        if st.startswith('missing'):
            n_missing += 1
        if args.missing_only and not st.startswith('missing'):
            continue
        u = 100.0 * mixes['userland'].get(form, 0) / totals['userland']
        b = 100.0 * mixes['boot'].get(form, 0) / totals['boot']
        print(f'{form:<28} {u:>10.5f} {b:>10.5f}  {st}')
    n_diff = sum(1 for f in forms if status(f) == 'diff')
    n_metal = sum(1 for f in forms if status(f) == 'metal')
    print(f'forms: {len(forms)} ({n_diff} diff, {n_metal} metal, {n_missing} missing)')
    for k in mixes:
        print(f'covered share of executions, {k}: {100.0 * covered[k] / totals[k]:.4f}%')
    if args.check and n_missing:
        print(f'form_coverage: {n_missing} forms are covered by neither diff nor metal tests')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
