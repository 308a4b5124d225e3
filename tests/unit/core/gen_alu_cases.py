#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Generates the CASES(X) table of tests/unit/core/test_alu.c: every case is assembled with GNU as
# (Intel syntax) and printed as X(name, text, mask kind, size, count/mask, prep, flags, bytes).
# Usage: python3 tests/unit/core/gen_alu_cases.py > cases.txt, then replace the table in the
# test with it and run clang-format.
import subprocess, tempfile, os, sys

cases = []  # (name, asm, mk, sz, cnt, prep, flags)
def add(name, asm, mk, sz, cnt=-1, prep='P_NONE', fl='0'):
    cases.append((name, asm, mk, sz, cnt, prep, fl))

SZ = {8: 'SZ8', 16: 'SZ16', 32: 'SZ32', 64: 'SZ64'}
R = {8: ('al', 'cl', 'dl'), 16: ('ax', 'cx', 'dx'), 32: ('eax', 'ecx', 'edx'), 64: ('rax', 'rcx', 'rdx')}
PTR = {8: 'byte ptr', 16: 'word ptr', 32: 'dword ptr', 64: 'qword ptr'}

alu = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp']
for op in alu:
    mk = 'MK_LOGIC' if op in ('or', 'and', 'xor') else 'MK_ALL'
    for s in (8, 16, 32, 64):
        a, c, d = R[s]
        add(f'{op}_r{s}_r{s}', f'{op} {a}, {c}', mk, s)
        add(f'{op}_r{s}_r{s}_load', f'{{load}} {op} {a}, {c}', mk, s)
        add(f'{op}_r{s}_i8', f'{op} {c}, 0x7f' if s == 8 else f'{op} {c}, -3', mk, s)
        add(f'{op}_rax{s}_imm', f'{op} {a}, 0x5a' if s == 8 else f'{op} {a}, 0x1234', mk, s)
        if s > 8:
            add(f'{op}_r{s}_imm', f'{op} {d}, -0x789a' if s > 16 else f'{op} {d}, 0x8001', mk, s)
        add(f'{op}_m{s}_r{s}', f'{op} {PTR[s]} [rbx], {c}', mk, s)
        add(f'{op}_r{s}_m{s}', f'{op} {c}, {PTR[s]} [rbx+8]', mk, s)
        add(f'{op}_m{s}_imm', f'{op} {PTR[s]} [rbx-8], 0x41', mk, s)
        if op != 'cmp':
            add(f'lock_{op}_m{s}_r{s}', f'lock {op} {PTR[s]} [rbx+3], {c}', mk, s)
    add(f'{op}_ah_cl', f'{op} ah, cl', mk, 8)
    add(f'{op}_dh_ah', f'{op} dh, ah', mk, 8)
    add(f'{op}_ch_imm', f'{op} ch, 0x80', mk, 8)
    add(f'{op}_same32', f'{op} ecx, ecx', mk, 32)
    add(f'{op}_same64', f'{op} rdx, rdx', mk, 64)
    add(f'{op}_same32_load', f'{{load}} {op} eax, eax', mk, 32)
for s in (8, 16, 32, 64):
    a, c, d = R[s]
    add(f'test_r{s}_r{s}', f'test {a}, {c}', 'MK_LOGIC', s)
    add(f'test_rax{s}_imm', f'test {a}, 0x81' if s == 8 else (f'test {a}, 0x80000001' if s == 32 else f'test {a}, -0x7fffffff') if s > 16 else f'test {a}, 0x8001', 'MK_LOGIC', s)
    add(f'test_r{s}_imm', f'test {c}, 0x81' if s == 8 else f'test {c}, -2', 'MK_LOGIC', s)
    add(f'test_m{s}_r{s}', f'test {PTR[s]} [rbx], {c}', 'MK_LOGIC', s)
    add(f'test_m{s}_imm', f'test {PTR[s]} [rbx+1], 0x7f', 'MK_LOGIC', s)
    for op in ('inc', 'dec', 'neg', 'not'):
        mk = 'MK_ALL'
        add(f'{op}_r{s}', f'{op} {c}', mk, s)
        add(f'{op}_m{s}', f'{op} {PTR[s]} [rbx+5]', mk, s)
        add(f'lock_{op}_m{s}', f'lock {op} {PTR[s]} [rbx-5]', mk, s)
add('test_ah_ch', 'test ah, ch', 'MK_LOGIC', 8)
add('inc_ah', 'inc ah', 'MK_ALL', 8)
add('neg_bh', 'neg dh', 'MK_ALL', 8)

sh = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar']
for op in sh:
    mk = 'MK_ROT' if op in ('rol', 'ror', 'rcl', 'rcr') else 'MK_SHIFT'
    for s in (8, 16, 32, 64):
        a, c, d = R[s]
        add(f'{op}_r{s}_cl', f'{op} {a}, cl', mk, s, -1, 'P_CNT')
        add(f'{op}_m{s}_cl', f'{op} {PTR[s]} [rbx], cl', mk, s, -1, 'P_CNT')
        add(f'{op}_r{s}_1', f'{op} {d}, 1', mk, s, 1)
        add(f'{op}_m{s}_1', f'{op} {PTR[s]} [rbx+2], 1', mk, s, 1)
        for n in (0, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64):
            add(f'{op}_r{s}_i{n}', f'{op} {a}, {n}', mk, s, n)
        add(f'{op}_m{s}_i5', f'{op} {PTR[s]} [rbx+4], 5', mk, s, 5)
    add(f'{op}_ah_cl', f'{op} ah, cl', mk, 8, -1, 'P_CNT')
    add(f'{op}_ch_3', f'{op} ch, 3', mk, 8, 3)
for op in ('shld', 'shrd'):
    for s in (16, 32, 64):
        a, c, d = R[s]
        prep = 'P_CNT16' if s == 16 else 'P_CNT'
        add(f'{op}_r{s}_cl', f'{op} {a}, {d}, cl', 'MK_SHD', s, -1, prep)
        add(f'{op}_m{s}_cl', f'{op} {PTR[s]} [rbx], {d}, cl', 'MK_SHD', s, -1, prep)
        for n in (0, 1, 4, 16, 31, 63):
            if s == 16 and n > 16 and n != 31 and n != 63:
                continue
            if s == 16 and n > 16:
                continue
            add(f'{op}_r{s}_i{n}', f'{op} {a}, {d}, {n}', 'MK_SHD', s, n)
        add(f'{op}_m{s}_i3', f'{op} {PTR[s]} [rbx+1], {d}, 3', 'MK_SHD', s, 3)

for s in (8, 16, 32, 64):
    a, c, d = R[s]
    add(f'mul_r{s}', f'mul {c}', 'MK_MUL', s)
    add(f'imul1_r{s}', f'imul {c}', 'MK_MUL', s)
    add(f'mul_m{s}', f'mul {PTR[s]} [rbx]', 'MK_MUL', s)
    add(f'imul1_m{s}', f'imul {PTR[s]} [rbx+8]', 'MK_MUL', s)
    add(f'div_r{s}', f'div {c}', 'MK_NONE', s, -1, f'P_DIV{s}')
    add(f'idiv_r{s}', f'idiv {c}', 'MK_NONE', s, -1, f'P_IDIV{s}')
    if s > 8:
        add(f'imul2_r{s}', f'imul {a}, {c}', 'MK_MUL', s)
        add(f'imul2_m{s}', f'imul {d}, {PTR[s]} [rbx]', 'MK_MUL', s)
        add(f'imul3_r{s}_i8', f'imul {a}, {c}, -7', 'MK_MUL', s)
        add(f'imul3_r{s}_iz', f'imul {a}, {c}, 0x4321', 'MK_MUL', s)
        add(f'imul3_m{s}_iz', f'imul {a}, {PTR[s]} [rbx], -0x4321', 'MK_MUL', s)
        for op in ('bt', 'bts', 'btr', 'btc'):
            add(f'{op}_r{s}_r{s}', f'{op} {a}, {c}', 'MK_CONST', s, 0x41)
            add(f'{op}_r{s}_i', f'{op} {a}, 0x4d', 'MK_CONST', s, 0x41)
            add(f'{op}_m{s}_r{s}', f'{op} {PTR[s]} [rbx], {c}', 'MK_CONST', s, 0x41, 'P_BTMEM')
            add(f'{op}_m{s}_i', f'{op} {PTR[s]} [rbx+2], 0x23', 'MK_CONST', s, 0x41)
            if op != 'bt':
                add(f'lock_{op}_m{s}_r{s}', f'lock {op} {PTR[s]} [rbx], {c}', 'MK_CONST', s, 0x41, 'P_BTMEM')
        for op in ('bsf', 'bsr'):
            add(f'{op}_r{s}', f'{op} {a}, {c}', 'MK_ZF', s, -1, 'P_SCAN', 'F_SCAN')
            add(f'{op}_m{s}', f'{op} {a}, {PTR[s]} [rbx]', 'MK_ZF', s, -1, 'P_NONE', 'F_SCANM')
        add(f'popcnt_r{s}', f'popcnt {a}, {c}', 'MK_ALL', s)
        for cc in ['o','no','b','ae','e','ne','be','a','s','ns','p','np','l','ge','le','g']:
            add(f'cmov{cc}_r{s}', f'cmov{cc} {a}, {c}', 'MK_ALL', s)
        add(f'cmovl_m{s}', f'cmovl {c}, {PTR[s]} [rbx]', 'MK_ALL', s)
add('div_m32', 'div dword ptr [rbx]', 'MK_NONE', 32, -1, 'P_DIVM32')
for cc in ['o','no','b','ae','e','ne','be','a','s','ns','p','np','l','ge','le','g']:
    add(f'set{cc}_r8', f'set{cc} al', 'MK_ALL', 8)
    add(f'set{cc}_ah', f'set{cc} ah', 'MK_ALL', 8)
    add(f'set{cc}_m8', f'set{cc} byte ptr [rbx+7]', 'MK_ALL', 8)
add('bswap_r32', 'bswap ecx', 'MK_ALL', 32)
add('bswap_r64', 'bswap rcx', 'MK_ALL', 64)
for ins in ('cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo', 'lahf', 'sahf', 'cmc', 'clc', 'stc'):
    add(ins, ins, 'MK_ALL', 32)

# Two-instruction sequences: the second reads flags recorded lazily by the first. The defined
# flags after them: D2 | (D1 & ~W2), valid only if what the second reads (R2) is defined.
ALL = 0x8d5
firsts = {
    'add': ('add eax, ecx', ALL), 'adc': ('adc eax, ecx', ALL), 'sub': ('sub rax, rcx', ALL),
    'sbb': ('sbb ax, cx', ALL), 'cmp': ('cmp al, cl', ALL), 'and': ('and eax, ecx', 0x8c5),
    'inc': ('inc eax', ALL), 'dec': ('dec cl', ALL), 'neg': ('neg rcx', ALL),
    'shl1': ('shl eax, 1', 0x8c5), 'shr1': ('shr cx, 1', 0x8c5), 'sar1': ('sar rax, 1', 0x8c5),
    'shl5': ('shl eax, 5', 0x0c5), 'shr7': ('shr rcx, 7', 0x0c5), 'sar3': ('sar al, 3', 0x0c5),
    'rol1': ('rol eax, 1', ALL), 'ror1': ('ror cl, 1', ALL), 'rol5': ('rol rax, 5', 0x0d5),
    'rcl1': ('rcl eax, 1', ALL), 'rcr3': ('rcr cx, 3', 0x0d5),
    'imul': ('imul eax, ecx', 0x801), 'bt': ('bt eax, ecx', 0x41), 'shld1': ('shld eax, ecx, 1', 0x8c5),
    'test': ('test cl, al', 0x8c5), 'xor': ('xor eax, eax', 0x8c5), 'subz': ('sub rcx, rcx', ALL),
}
seconds = {'adc': ('adc edx, ecx', ALL, ALL, 0x1), 'sbb': ('sbb rdx, rcx', ALL, ALL, 0x1),
           'rcl': ('rcl edx, 1', 0x801, 0x801, 0x1), 'inc': ('inc edx', 0x8d4, 0x8d4, 0),
           'ror': ('ror edx, 1', 0x801, 0x801, 0), 'cmc': ('cmc', 0x1, 0x1, 0x1),
           'lahf': ('lahf', 0, 0, 0xd5), 'rol3': ('rol edx, 3', 0x801, 0x1, 0)}
for fn, (fa, d1) in firsts.items():
    for sn, (sa, w2, d2, r2) in seconds.items():
        if r2 & ~d1:
            continue
        add(f'seq_{fn}_{sn}', f'{fa}; {sa}', 'MK_CONST', 32, d2 | (d1 & ~w2))
add('seq_add_ror_ror_adc', 'add eax, ecx; ror edx, 1; ror edx, 1; adc ecx, edx', 'MK_CONST', 32, ALL)
add('seq_cmp_bt_sete', 'cmp eax, ecx; bt edx, 3; sete dl', 'MK_CONST', 32, 0x41)
add('seq_sub_imul_adc', 'sub eax, ecx; imul edx, ecx; adc eax, edx', 'MK_CONST', 32, ALL)
add('seq_cmp_setcc', 'cmp eax, ecx; setb dl; setl dh; setbe cl; setg ch; seto al; sets ah', 'MK_CONST', 32, ALL)
add('seq_test_cmov', 'test eax, ecx; cmovle edx, ecx; cmovg eax, edx; cmovs ecx, eax', 'MK_CONST', 32, 0x8c5)

out = []
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, 't.s')
    with open(src, 'w') as f:
        f.write('.intel_syntax noprefix\n')
        for k, c in enumerate(cases):
            f.write(f'.section .t{k},"ax"\n')
            for line in c[1].split(';'):
                f.write(line.strip() + '\n')
    obj = os.path.join(tmp, 't.o')
    subprocess.run(['as', '--64', '-o', obj, src], check=True)
    for k, c in enumerate(cases):
        b = os.path.join(tmp, f'b{k}')
        subprocess.run(['objcopy', '-O', 'binary', f'--only-section=.t{k}', obj, b], check=True)
        data = open(b, 'rb').read()
        out.append((c, data))

print('#define CASES(X) \\')
for (name, asm, mk, sz, cnt, prep, fl), data in out:
    bs = ', '.join(f'0x{x:02x}' for x in data)
    print(f'    X({name}, "{asm}", {mk}, {SZ[sz]}, {cnt}, {prep}, {fl}, {bs}) \\')
