/* SPDX-License-Identifier: MIT */
/*
 * 16- and 32-bit instruction forms from a ROM (the firmware and boot-loader code of a PC
 * boot): real mode from the reset vector (Intel SDM vol. 3 20.1), then 32-bit and 16-bit
 * protected mode (vol. 3 10.9) with an IDT, then 32-bit paging (vol. 3 4.3). Checked: stack
 * forms with 66/67 prefixes and SP versus ESP (vol. 1 6.2.3; vol. 2 PUSH, POP, PUSHA, POPA,
 * PUSHF, POPF), near and far transfers (CALL, JMP, RET far, IRET in real mode and in 16-bit
 * protected mode), descriptor-table loads with 16/32-bit operands (LGDT, LIDT, SGDT, SIDT),
 * MOV CR in both modes, port and string I/O with 16-bit addresses and segment overrides.
 * Results go to port 0xE9, the verdict to isa-debug-exit (port 0xF4) with OUT DX, EAX.
 */
#define FAILS    0x500 /* variables in RAM (DS = 0 in real mode, flat later) */
#define PASSES   0x504
#define SKIPS    0x508
#define FIXUP    0x50c /* protected mode: EIP to resume at after an expected exception */
#define TRAPVEC  0x510
#define TRAPERR  0x514
#define TRAPEIP  0x518
#define TRAPCNT  0x51c
#define TRAPEXP  0x520 /* EIP the expected exception should report */
#define IS_QEMU  0x524
#define TRAPCR2  0x528
#define SCR      0x1000 /* scratch data, 0x1000-0x1fff */
#define IDT32    0x3000
#define IVT2     0x4000 /* a second real-mode IVT for LIDT */
#define STACK    0x7c00
#define PD32     0x10000 /* 32-bit paging: page directory and one page table */
#define PT32     0x11000
#define FREE_PORT 0x3e8  /* unassigned: reads all ones */
#define UART_SCR 0x3ff

#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_CODE16 0x18 /* base 0xF0000, limit 0xFFFF: offsets are ROM offsets */
#define SEL_DATA16 0x20
#define SEL_DATA_B 0x28 /* flat data with base 0x1000 (segment-override checks) */

    .set NCHECKS, 0

/* EXPECT16 src, exp, name: 32-bit compare in real mode (DS = 0); clobbers EAX ECX SI DI. */
.macro EXPECT16 src, exp, name
    movl \src, %eax
    movl \exp, %ecx
    jmp 9002f
9001: .asciz "\name"
9002: movw $(9001b - start16), %di
    call expect16
    .set NCHECKS, NCHECKS + 1
.endm

/* SKIP16 name: in place of one EXPECT16 that cannot run here (see the caller). */
.macro SKIP16 name
    jmp 9002f
9001: .asciz "\name"
9002: movw $(9001b - start16), %di
    call skip16
.endm

.macro EXPECT32 src, exp, name
    movl \src, %eax
    movl \exp, %ecx
    jmp 9002f
9001: .asciz "\name"
9002: movl $9001b, %edi
    call expect32
    .set NCHECKS, NCHECKS + 1
.endm

.macro SKIP32 name
    jmp 9002f
9001: .asciz "\name"
9002: movl $9001b, %edi
    call skip32
.endm

/* TRY32 insn: an exception at insn is recorded and execution goes on after it. */
.macro TRY32 insn:vararg
    movl $9003f, FIXUP
    movl $9004f, TRAPEXP
9004: \insn
9003:
    movl $0, FIXUP
.endm

    .text
    .code16
start16:                     /* the reset vector jumps to F000:0000 */
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl $STACK, %esp
    movb $0xff, %al          /* mask both 8259s */
    outb %al, $0x21
    outb %al, $0xa1
    movw $FAILS, %di
    xorl %eax, %eax
    movw $16, %cx
    rep stosl
    /* IVT entries 0-31 -> the real-mode exception stubs. */
    xorw %bx, %bx
1:  movw %bx, %ax
    shlw $3, %ax
    addw $(rm_stubs - start16), %ax
    movw %bx, %si
    shlw $2, %si
    movw %ax, (%si)
    movw $0xf000, 2(%si)
    incw %bx
    cmpw $32, %bx
    jb 1b
    movw $(int50_a - start16), 0x50 * 4
    movw $0xf000, 0x50 * 4 + 2
    movw $(int50_b - start16), IVT2 + 0x50 * 4
    movw $0xf000, IVT2 + 0x50 * 4 + 2
    /* QEMU TCG: CPUID 0x40000000 "TCGT..." or a brand string starting with "QEMU". */
    movl $0x40000000, %eax
    cpuid
    cmpl $0x54474354, %ebx
    je 2f
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000002, %eax
    jb 3f
    movl $0x80000002, %eax
    cpuid
    cmpl $0x554d4551, %eax
    jne 3f
2:  movl $1, IS_QEMU
3:  movw $(s_head - start16), %si
    call puts16

    /* ---- real mode: CR0, IN imm ---- */
    movl %cr0, %eax
    movl %eax, SCR
    EXPECT16 SCR, $0x60000010, "mov r32, cr0 in real mode: reset value"
    movl %cr0, %eax
    orl $0x40000, %eax
    movl %eax, %cr0
    movl %cr0, %ebx
    andl $~0x40000, %eax
    movl %eax, %cr0
    movl %ebx, SCR
    EXPECT16 SCR, $0x60040010, "mov cr0, r32 in real mode: AM reads back"
    movl $0x12345600, %eax
    inb $0xe9, %al
    movl %eax, SCR
    EXPECT16 SCR, $0x123456e9, "in r8, imm in real mode: port 0xE9"

    /* ---- PUSH/POP r32 with 66: SP only (SS.B = 0), bits 16-31 of ESP kept ---- */
    movl $0x00017c00, %esp
    movl $0x89abcdef, %ebx
    movl $0, STACK - 4
    pushl %ebx
    movl %esp, SCR
    movl STACK - 4, %edx
    movl %edx, SCR + 12
    popl %esi
    movl %esp, SCR + 4
    movl %esi, SCR + 8
    movl $STACK, %esp
    EXPECT16 SCR, $0x00017bfc, "push r32 (66 53) in real mode: SP - 4, ESP bits 16-31 kept"
    EXPECT16 SCR + 12, $0x89abcdef, "push r32 in real mode: the dword at SS:SP"
    EXPECT16 SCR + 4, $0x00017c00, "pop r32 (66 5E) in real mode: SP + 4"
    EXPECT16 SCR + 8, $0x89abcdef, "pop r32 in real mode: the value"

    /* ---- PUSH m32 (67 66 FF /6, 2E 66 FF /6) and POP m32 (67 66 8F /0) ---- */
    movl $0xdeadbeef, SCR + 0x20
    movl $SCR, %eax
    addr32 pushl 0x20(%eax)
    popl %edx
    movl %edx, SCR + 0x10
    pushl %cs:k_const_off
    popl %edx
    movl %edx, SCR + 0x14
    movl %esp, SCR + 0x18
    EXPECT16 SCR + 0x10, $0xdeadbeef, "push m32 (67 66 FF /6) in real mode"
    EXPECT16 SCR + 0x14, $0x13579bdf, "push m32 (2E 66 FF /6): CS override"
    EXPECT16 SCR + 0x18, $STACK, "push m32 / pop r32 in real mode: SP balanced"
    pushl $0x24681357
    movl $SCR, %eax
    addr32 popl 0x1c(%eax)
    movl %esp, SCR + 0x30
    EXPECT16 SCR + 0x1c, $0x24681357, "pop m32 (67 66 8F /0) in real mode"
    EXPECT16 SCR + 0x30, $STACK, "pop m32 in real mode: SP + 4"
    movl $0, STACK
    pushl $0x11112222
    pushl $0x33334444
    addr32 popl 4(%esp)       /* the address uses ESP after the increment */
    popl %edx
    movl %edx, SCR + 0x34
    EXPECT16 STACK, $0x33334444, "pop m32 [esp+4]: address computed after SP + 4"
    EXPECT16 SCR + 0x34, $0x11112222, "pop m32 [esp+4]: the dword below is untouched"

    /* ---- PUSHFD/POPFD in real mode: all but VM, RF, VIF, VIP writable ---- */
    pushl $0xfffffcff         /* TF and IF clear */
    popfl
    pushfl
    popl SCR + 0x40
    pushl $0
    popfl
    pushfl
    popl SCR + 0x44
    EXPECT16 SCR + 0x40, $0x00247cd7, "popfd/pushfd (66 9D/9C) in real mode: writable flags"
    EXPECT16 SCR + 0x44, $0x00000002, "popfd 0/pushfd in real mode: reserved bit 1 reads 1"

    /* ---- CALL r32 / m32 (66 FF /2), JMP r32 (66 FF /4), JMP m16 (FF /4) ---- */
    movl $(sub16_rec - start16), %esi
    calll *%esi
ret_a:
    movl %esp, SCR + 0x58
    EXPECT16 SCR + 0x50, $(ret_a - start16), "call r32 (66 FF D6) in real mode: 32-bit return offset"
    EXPECT16 SCR + 0x54, $(STACK-4), "call r32 in real mode: SP - 4"
    EXPECT16 SCR + 0x58, $STACK, "ret (66 C3) in real mode: SP + 4"
    movl $(sub16_rec - start16), SCR + 0x64
    movl $(SCR + 0x60), %edx
    addr32 calll *4(%edx)
ret_b:
    EXPECT16 SCR + 0x50, $(ret_b - start16), "call m32 (67 66 FF /2) in real mode"
    movl $0, SCR + 0x70
    movl $(jt1 - start16), %edx
    jmpl *%edx
    movl $0xbad, SCR + 0x70
jt1:
    orl $1, SCR + 0x70
    EXPECT16 SCR + 0x70, $1, "jmp r32 (66 FF E2) in real mode"
    movl $0, SCR + 0x70
    movw $(jt2 - start16), SCR + 0x78
    jmp *SCR + 0x78
    movl $0xbad, SCR + 0x70
jt2:
    orl $2, SCR + 0x70
    EXPECT16 SCR + 0x70, $2, "jmp m16 (FF 26) in real mode"

    /* ---- IRET (CF) in real mode: IP, CS and FLAGS[15:0] from the frame ---- */
    pushw $0x7cd7
    pushw %cs
    pushw $(iret_t1 - start16)
    iret
    movl $0xbad, SCR + 0x80
iret_t1:
    movl $0, SCR + 0x80
    pushfw
    popw SCR + 0x80
    pushw $0x0002
    popfw
    movl %esp, SCR + 0x84
    EXPECT16 SCR + 0x80, $0x7cd7, "iret in real mode: FLAGS from the frame (IOPL, NT too)"
    EXPECT16 SCR + 0x84, $STACK, "iret in real mode: SP + 6"
    movl $0, SCR + 0x88
    movl $0, SCR + 0x8c
    pushw $0x0002
    pushw $0xef00             /* EF00:x+0x1000 is F000:x */
    pushw $(iret_t2 - start16 + 0x1000)
    iret
iret_t2:
    movw %cs, SCR + 0x88
    ljmp $0xf000, $(iret_t3 - start16)
iret_t3:
    movw %cs, SCR + 0x8c
    EXPECT16 SCR + 0x88, $0xef00, "iret in real mode: CS from the frame"
    EXPECT16 SCR + 0x8c, $0xf000, "ljmp ptr16:16 (EA) in real mode: CS"
    movl $0, SCR + 0x8c
    ljmpl $0xef00, $(lj32_t - start16 + 0x1000)
lj32_t:
    movw %cs, SCR + 0x8c
    ljmp $0xf000, $(lj32_back - start16)
lj32_back:
    EXPECT16 SCR + 0x8c, $0xef00, "ljmp ptr16:32 (66 EA) in real mode: CS"

    /* ---- CALL far m16:16 (26 FF /3, 67 FF /3) and RETF (CB) ---- */
    movl $0, SCR + 0x98
    movw $(far_sub16 - start16 + 0x1000), SCR + 0x90
    movw $0xef00, SCR + 0x92
    lcall *%es:SCR + 0x90
lc_ret1:
    movl %esp, SCR + 0x9c
    EXPECT16 SCR + 0x94, $(0xf0000000 | (lc_ret1 - start16)), "lcall m (26 FF /3) in real mode: CS:IP pushed"
    EXPECT16 SCR + 0x98, $0xef00, "lcall m in real mode: CS loaded from memory"
    EXPECT16 SCR + 0x9c, $STACK, "retf (CB) in real mode: SP + 4"
    movl $0, SCR + 0x98
    pushw $0xf000
    pushw $(far_sub16 - start16)
    subw $12, %sp
    addr32 lcall *12(%esp)
lc_ret2:
    addw $16, %sp
    EXPECT16 SCR + 0x94, $(0xf0000000 | (lc_ret2 - start16)), "lcall m (67 FF 5C 24 0C) in real mode"
    EXPECT16 SCR + 0x98, $0xf000, "lcall m [esp+12] in real mode: CS"

    /* ---- PUSHAD/POPAD (66 60/61) and PUSHA/POPA (60/61) ---- */
    movl $STACK, %esp
    movl $0xa0a0a0a0, %eax
    movl $0xc1c1c1c1, %ecx
    movl $0xd2d2d2d2, %edx
    movl $0xb3b3b3b3, %ebx
    movl $0xe5e5e5e5, %ebp
    movl $0xf6f6f6f6, %esi
    movl $0x07070707, %edi
    pushal
    movl %esp, SCR + 0xb0
    EXPECT16 SCR + 0xb0, $(STACK-32), "pushal (66 60) in real mode: SP - 32"
    EXPECT16 (STACK-4), $0xa0a0a0a0, "pushal: EAX"
    EXPECT16 (STACK-8), $0xc1c1c1c1, "pushal: ECX"
    EXPECT16 (STACK-12), $0xd2d2d2d2, "pushal: EDX"
    EXPECT16 (STACK-16), $0xb3b3b3b3, "pushal: EBX"
    EXPECT16 (STACK-20), $STACK, "pushal: ESP before the instruction"
    EXPECT16 (STACK-24), $0xe5e5e5e5, "pushal: EBP"
    EXPECT16 (STACK-28), $0xf6f6f6f6, "pushal: ESI"
    EXPECT16 (STACK-32), $0x07070707, "pushal: EDI"
    movl $0x11111111, STACK - 4
    movl $0x22222222, STACK - 8
    movl $0x33333333, STACK - 12
    movl $0x44444444, STACK - 16
    movl $0xdeadbeef, STACK - 20
    movl $0x66666666, STACK - 24
    movl $0x77777777, STACK - 28
    movl $0x88888888, STACK - 32
    popal
    movl %eax, SCR + 0xc0
    movl %ecx, SCR + 0xc4
    movl %edx, SCR + 0xc8
    movl %ebx, SCR + 0xcc
    movl %esp, SCR + 0xd0
    movl %ebp, SCR + 0xd4
    movl %esi, SCR + 0xd8
    movl %edi, SCR + 0xdc
    EXPECT16 SCR + 0xc0, $0x11111111, "popal (66 61) in real mode: EAX"
    EXPECT16 SCR + 0xc4, $0x22222222, "popal: ECX"
    EXPECT16 SCR + 0xc8, $0x33333333, "popal: EDX"
    EXPECT16 SCR + 0xcc, $0x44444444, "popal: EBX"
    EXPECT16 SCR + 0xd0, $STACK, "popal: ESP slot skipped, SP + 32"
    EXPECT16 SCR + 0xd4, $0x66666666, "popal: EBP"
    EXPECT16 SCR + 0xd8, $0x77777777, "popal: ESI"
    EXPECT16 SCR + 0xdc, $0x88888888, "popal: EDI"
    movl $0x1111aaaa, %eax
    movl $0x2222cccc, %ecx
    movl $0x3333dddd, %edx
    movl $0x4444bbbb, %ebx
    movl $0x5555eeee, %ebp
    movl $0x66660f0f, %esi
    movl $0x77770707, %edi
    pushaw
    movl %esp, SCR + 0xe0
    EXPECT16 SCR + 0xe0, $(STACK-16), "pushaw (60) in real mode: SP - 16"
    EXPECT16 (STACK-4), $0xaaaacccc, "pushaw: AX, CX"
    EXPECT16 (STACK-8), $0xddddbbbb, "pushaw: DX, BX"
    EXPECT16 (STACK-12), $((STACK << 16) | 0xeeee), "pushaw: SP before, BP"
    EXPECT16 (STACK-16), $0x0f0f0707, "pushaw: SI, DI"
    movl $0x12345678, STACK - 4
    movl $0x9abcdef0, STACK - 8
    movl $0x11112222, STACK - 12
    movl $0x33334444, STACK - 16
    movl $0xffff0000, %eax
    movl $0xffff0000, %ecx
    movl $0xffff0000, %edx
    movl $0xffff0000, %ebx
    movl $0xffff0000, %ebp
    movl $0xffff0000, %esi
    movl $0xffff0000, %edi
    popaw
    movl %eax, SCR + 0xc0
    movl %ecx, SCR + 0xc4
    movl %edx, SCR + 0xc8
    movl %ebx, SCR + 0xcc
    movl %esp, SCR + 0xd0
    movl %ebp, SCR + 0xd4
    movl %esi, SCR + 0xd8
    movl %edi, SCR + 0xdc
    EXPECT16 SCR + 0xc0, $0xffff1234, "popaw (61) in real mode: AX, EAX bits 16-31 kept"
    EXPECT16 SCR + 0xc4, $0xffff5678, "popaw: CX"
    EXPECT16 SCR + 0xc8, $0xffff9abc, "popaw: DX"
    EXPECT16 SCR + 0xcc, $0xffffdef0, "popaw: BX"
    EXPECT16 SCR + 0xd0, $STACK, "popaw: SP slot skipped, SP + 16"
    EXPECT16 SCR + 0xd4, $0xffff2222, "popaw: BP"
    EXPECT16 SCR + 0xd8, $0xffff3333, "popaw: SI"
    EXPECT16 SCR + 0xdc, $0xffff4444, "popaw: DI"

    /* ---- port I/O with 16-bit code ---- */
    movw $FREE_PORT, %dx
    movl $0x12345678, %eax
    inw %dx, %ax
    movl %eax, SCR + 0xf0
    movl $0x12345678, %eax
    inl %dx, %eax
    movl %eax, SCR + 0xf4
    EXPECT16 SCR + 0xf0, $0x1234ffff, "in r16, dx (ED) in real mode: bits 16-31 kept"
    EXPECT16 SCR + 0xf4, $0xffffffff, "in r32, dx (66 ED) in real mode"
    cmpl $0, IS_QEMU
    jne 1f
    movw $UART_SCR, %dx
    movl $0x777712ab, %eax
    outw %ax, %dx
    inb %dx, %al
    movzbl %al, %eax
    movl %eax, SCR + 0xf8
    movl $0x345678cd, %eax
    outl %eax, %dx
    inb %dx, %al
    movzbl %al, %eax
    movl %eax, SCR + 0xfc
    EXPECT16 SCR + 0xf8, $0xab, "out dx, r16 (EF) in real mode: low byte to the 16550 scratch"
    EXPECT16 SCR + 0xfc, $0xcd, "out dx, r32 (66 EF) in real mode: low byte to the scratch"
    jmp 2f
1:  SKIP16 "out dx, r16 (EF) to the 16550: QEMU 7.2 aborts on wide accesses to it"
    SKIP16 "out dx, r32 (66 EF) to the 16550: QEMU 7.2 aborts on wide accesses to it"
2:
    /* REP INSD with 16-bit addresses (66 F3 6D): DI and CX only, bits 16-31 kept. */
    movl $0x11111111, SCR + 0x20c
    movw $FREE_PORT, %dx
    movl $(0x00010000 | (SCR + 0x200)), %edi
    movl $0x00010003, %ecx
    rep insl
    movl %edi, SCR + 0x100
    movl %ecx, SCR + 0x104
    EXPECT16 SCR + 0x100, $(0x00010000 | (SCR + 0x20c)), "rep insd (66 F3 6D) in real mode: DI + 12, EDI bits 16-31 kept"
    EXPECT16 SCR + 0x104, $0x00010000, "rep insd in real mode: CX counts, ECX bits 16-31 kept"
    EXPECT16 SCR + 0x208, $0xffffffff, "rep insd in real mode: the data"
    EXPECT16 SCR + 0x20c, $0x11111111, "rep insd in real mode: three dwords, no more"

    /* ---- LGDT/SGDT, LIDT/SIDT with 16- and 32-bit operands ---- */
    movw $0x0017, SCR + 0x110
    movl $0xab012345, SCR + 0x112
    lgdtw SCR + 0x110          /* 16-bit operand: 24-bit base */
    sgdtl SCR + 0x118
    lgdtl SCR + 0x110          /* 32-bit operand: 32-bit base */
    sgdtl SCR + 0x120
    movl $0xffffffff, SCR + 0x12c
    lgdtw SCR + 0x110
    sgdtw SCR + 0x128          /* base below 16 MiB: stored the same with either reading */
    EXPECT16 SCR + 0x118, $0x23450017, "lgdt m (0F 01 /2, 16-bit) then sgdt (66): limit"
    EXPECT16 SCR + 0x11a, $0x00012345, "lgdt m with a 16-bit operand loads a 24-bit base"
    EXPECT16 SCR + 0x122, $0xab012345, "lgdt m (66 0F 01 /2) loads a 32-bit base"
    EXPECT16 SCR + 0x12a, $0x00012345, "sgdt m (0F 01 /0, 16-bit): base below 16 MiB"
    movl %esp, %ebp
    movl $(SCR + 0x140), %esp
    addr32 sgdtl 2(%esp)       /* 67 66 0F 01 44 24 02 */
    movl %ebp, %esp
    EXPECT16 SCR + 0x144, $0x00012345, "sgdt m (67 66 0F 01 44 24 02) in real mode"
    xorl %ebx, %ebx
    lidtw %cs:ivt2_ptr_off     /* 2E 0F 01 1E: the IVT moves to 0x4000 */
    int $0x50
    sidtl SCR + 0x150
    lidtl %cs:ivt0_ptr_off
    movl %ebx, SCR + 0x158
    xorl %ebx, %ebx
    int $0x50
    movl %ebx, SCR + 0x15c
    EXPECT16 SCR + 0x158, $0xbbbb, "lidt m (2E 0F 01 1E) in real mode: INT uses the new IVT"
    EXPECT16 SCR + 0x152, $IVT2, "lidt m in real mode: sidt returns the new base"
    EXPECT16 SCR + 0x15c, $0xaaaa, "lidt m (66) back to 0: INT uses the old IVT"

    /* ---- to protected mode: LGDT with CS override and 66, far JMP ptr16:32 ---- */
    lgdtl %cs:gdt_ptr_off
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $pm32

/* ---- real-mode subroutines ---- */
sub16_rec:                   /* records [SP] (32-bit) and SP, returns with 66 C3 */
    movw %sp, %bx
    movl (%bx), %eax
    movl %eax, SCR + 0x50
    movl %esp, SCR + 0x54
    retl

far_sub16:                   /* records the far return address and CS, returns with CB */
    movw %sp, %bx
    movl (%bx), %eax
    movl %eax, SCR + 0x94
    movw %cs, SCR + 0x98
    lret

int50_a:
    movw $0xaaaa, %bx
    iret
int50_b:
    movw $0xbbbb, %bx
    iret

/* expect16: EAX = got, ECX = expected, DI = name (CS offset). */
expect16:
    cmpl %ecx, %eax
    jne 1f
    incl PASSES
    movw $(s_pass - start16), %si
    call puts16
    movw %di, %si
    call puts16
    movw $(s_nl - start16), %si
    call puts16
    ret
1:  incl FAILS
    pushl %eax
    movw $(s_fail - start16), %si
    call puts16
    movw %di, %si
    call puts16
    movw $(s_exp - start16), %si
    call puts16
    movl %ecx, %eax
    call puthex16
    movw $(s_got - start16), %si
    call puts16
    popl %eax
    call puthex16
    movw $(s_nl - start16), %si
    call puts16
    ret

skip16:
    incl SKIPS
    movw $(s_skip - start16), %si
    call puts16
    movw %di, %si
    call puts16
    movw $(s_nl - start16), %si
    call puts16
    ret

puts16:
    pushw %ax
1:  lodsb %cs:(%si), %al
    testb %al, %al
    jz 2f
    outb %al, $0xe9
    jmp 1b
2:  popw %ax
    ret

puthex16:                    /* EAX as 8 hex digits */
    pushl %eax
    pushl %ecx
    pushl %edx
    movl %eax, %edx
    movw $8, %cx
1:  roll $4, %edx
    movb %dl, %al
    andb $0xf, %al
    addb $0x30, %al
    cmpb $0x39, %al
    jbe 2f
    addb $7, %al
2:  outb %al, $0xe9
    decw %cx
    jnz 1b
    popl %edx
    popl %ecx
    popl %eax
    ret

/* Real-mode exceptions: report and stop (no real-mode check expects one). */
    .align 8
rm_stubs:
    .set vec, 0
    .rept 32
    .align 8
    pushw $vec
    jmp rm_common
    .set vec, vec + 1
    .endr
rm_common:
    xorw %ax, %ax
    movw %ax, %ds
    popw %ax
    movzwl %ax, %eax
    movl %eax, TRAPVEC
    popw %ax
    movl %eax, TRAPEIP
    movw $(s_unexp16 - start16), %si
    call puts16
    movl TRAPVEC, %eax
    call puthex16
    movw $(s_at - start16), %si
    call puts16
    movl TRAPEIP, %eax
    call puthex16
    movw $(s_nl - start16), %si
    call puts16
    movw $0xf4, %dx
    movl $0x11, %eax
    outl %eax, %dx
1:  hlt
    jmp 1b

    .code32
/* ---------------------------------------------------------------------------------------- */
/* 32-bit protected mode                                                                     */
pm32:
    movw $SEL_DATA32, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movl $STACK, %esp
    /* IDT: interrupt gates to the 32-bit stubs. */
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $4, %eax
    addl $pm_stubs, %eax
    movl %eax, %edx
    andl $0xffff, %eax
    orl $(SEL_CODE32 << 16), %eax
    movl %eax, IDT32(,%ecx,8)
    andl $0xffff0000, %edx
    orl $0x8e00, %edx
    movl %edx, IDT32 + 4(,%ecx,8)
    incl %ecx
    cmpl $32, %ecx
    jb 1b
    movl $idt32_ptr, %eax
    lidt (%eax)                /* 0F 01 18 */

    movl %cr0, %eax
    movl %eax, SCR
    EXPECT32 SCR, $0x60000011, "mov r32, cr0 (0F 20) in protected mode"
    movl $0, SCR + 4
    movw %cs, SCR + 4
    EXPECT32 SCR + 4, $SEL_CODE32, "ljmp ptr16:32 (66 EA) from real mode: CS = 0x08"

    /* ---- PUSH/POP r32, PUSH ESP, POP ESP ---- */
    movl $0x13572468, %ebx
    pushl %ebx
    movl %esp, SCR
    movl STACK - 4, %edx
    movl %edx, SCR + 12
    popl %esi
    movl %esp, SCR + 4
    movl %esi, SCR + 8
    EXPECT32 SCR, $(STACK-4), "push r32 (53) in protected mode: ESP - 4"
    EXPECT32 SCR + 12, $0x13572468, "push r32 in protected mode: the dword at ESP"
    EXPECT32 SCR + 4, $STACK, "pop r32 (5E) in protected mode: ESP + 4"
    EXPECT32 SCR + 8, $0x13572468, "pop r32 in protected mode: the value"
    pushl %esp
    popl %eax
    movl %eax, SCR
    EXPECT32 SCR, $STACK, "push esp pushes the value before the decrement"
    pushl $0x7b00
    popl %esp
    movl %esp, SCR
    movl $STACK, %esp
    EXPECT32 SCR, $0x7b00, "pop esp: ESP is the popped value"

    /* ---- PUSH m32 / POP m32 with ESP as base ---- */
    movl $0x0badf00d, STACK
    movl $0xfeedf00d, STACK + 4
    pushl 4(%esp)              /* FF 74 24 04: address from ESP before the decrement */
    popl %eax
    movl %eax, SCR
    EXPECT32 SCR, $0xfeedf00d, "push m32 [esp+4]: address from ESP before the push"
    movl $0, STACK
    pushl $0x1234abcd
    pushl $0x5678ef01
    popl 4(%esp)               /* address from ESP after the increment */
    popl %eax
    movl %eax, SCR
    EXPECT32 STACK, $0x5678ef01, "pop m32 [esp+4]: address from ESP after the pop"
    EXPECT32 SCR, $0x1234abcd, "pop m32 [esp+4]: the dword below is untouched"
    movl $SCR + 0x20, %ebx
    pushl $0x600df00d
    popl (%ebx)
    EXPECT32 SCR + 0x20, $0x600df00d, "pop m32 [ebx] (8F 03)"

    /* ---- PUSHFD/POPFD at CPL0 ---- */
    pushl $0xfffffcff
    popfl
    pushfl
    popl SCR + 0x40
    pushl $2
    popfl
    EXPECT32 SCR + 0x40, $0x00247cd7, "popfd/pushfd (9D/9C) at CPL0: writable flags"

    /* ---- CALL r32 / m32 (FF /2), JMP r32 / m32 (FF /4) ---- */
    movl $sub32_rec, %esi
    call *%esi
ret_c:
    movl %esp, SCR + 0x58
    EXPECT32 SCR + 0x50, $ret_c, "call r32 (FF D6): return address pushed"
    EXPECT32 SCR + 0x54, $(STACK-4), "call r32: ESP - 4"
    EXPECT32 SCR + 0x58, $STACK, "ret after call r32: ESP + 4"
    movl $sub32_rec, SCR + 0x60 + 0x88
    movl $(SCR + 0x60), %eax
    call *0x88(%eax)           /* FF 90 88 00 00 00 */
ret_d:
    EXPECT32 SCR + 0x50, $ret_d, "call m32 (FF 90 disp32)"
    movl $0, SCR + 0x70
    movl $jt3, %edx
    jmp *%edx
    movl $0xbad, SCR + 0x70
jt3:
    orl $1, SCR + 0x70
    movl $jt4, SCR + 0x74
    movl $(SCR + 0x74), %eax
    jmp *(%eax)                /* FF 20 */
    movl $0xbad, SCR + 0x70
jt4:
    orl $2, SCR + 0x70
    EXPECT32 SCR + 0x70, $3, "jmp r32 (FF E2) and jmp m32 (FF 20)"

    /* ---- MOV CR in protected mode, then 32-bit paging with 4 MiB and 4 KiB pages ---- */
    movl %cr0, %eax
    orl $0x40000, %eax
    movl %eax, %cr0
    movl %cr0, %ebx
    andl $~0x40000, %eax
    movl %eax, %cr0
    movl %ebx, SCR
    EXPECT32 SCR, $0x60040011, "mov cr0, r32 (0F 22 C0): AM reads back"
    movl $0xcafe1234, %eax
    movl %eax, %cr2
    movl %cr2, %ebx
    movl %ebx, SCR
    EXPECT32 SCR, $0xcafe1234, "mov cr2, r32 / mov r32, cr2"
    movl $0x10, %eax
    movl %eax, %cr4
    movl %cr4, %ebx
    movl %ebx, SCR
    EXPECT32 SCR, $0x10, "mov cr4, r32: PSE reads back"
    /* PD: 0-4 MiB identity (4 MiB page), 0xC0000000 -> 0 (4 MiB page), 0xC0400000 -> PT. */
    movl $PD32, %edi
    xorl %eax, %eax
    movl $2048, %ecx
    rep stosl
    movl $0x00000083, PD32
    movl $0x00000083, PD32 + 0x300 * 4
    movl $(PT32 | 3), PD32 + 0x301 * 4
    movl $(SCR | 3), PT32 + 5 * 4
    movl $PD32, %eax
    movl %eax, %cr3
    movl %cr3, %ebx
    movl %ebx, SCR
    EXPECT32 SCR, $PD32, "mov cr3, r32 reads back"
    movl $0x600dcafe, SCR + 0x234
    movl %cr0, %eax
    orl $0x80000000, %eax
    movl %eax, %cr0            /* paging on */
    movl 0xc0000000 + SCR + 0x234, %eax
    movl %eax, SCR + 0x80
    movl 0xc0405234, %eax
    movl %eax, SCR + 0x84
    movl $0x0ddba11, 0xc0405238
    movl PT32 + 5 * 4, %eax
    movl %eax, SCR + 0x88
    movl PD32 + 0x301 * 4, %eax
    movl %eax, SCR + 0x8c
    movl $0, TRAPCNT
    TRY32 movl 0xc0800010, %eax
    movl %cr2, %eax
    movl %eax, TRAPCR2
    movl %cr0, %eax
    movl %eax, SCR + 0x90
    andl $0x7fffffff, %eax
    movl %eax, %cr0            /* paging off */
    movl %cr0, %eax
    movl %eax, SCR + 0x94
    EXPECT32 SCR + 0x80, $0x600dcafe, "mov cr0 (PG): 4 MiB page 0xC0000000 -> 0"
    EXPECT32 SCR + 0x84, $0x600dcafe, "mov cr0 (PG): 4 KiB page 0xC0405000 -> 0x1000"
    EXPECT32 SCR + 0x238, $0x0ddba11, "32-bit paging: a write through the 4 KiB alias"
    EXPECT32 SCR + 0x88, $(SCR | 0x63), "32-bit paging: PTE accessed and dirty"
    EXPECT32 SCR + 0x8c, $(PT32 | 0x23), "32-bit paging: PDE accessed"
    EXPECT32 TRAPVEC, $14, "32-bit paging: #PF for a not-present PDE"
    EXPECT32 TRAPERR, $0, "32-bit paging: #PF error code 0 (read, supervisor)"
    EXPECT32 TRAPEIP, TRAPEXP, "32-bit paging: #PF at the faulting instruction"
    EXPECT32 TRAPCR2, $0xc0800010, "32-bit paging: CR2 = the linear address"
    EXPECT32 SCR + 0x90, $0xe0000011, "mov r32, cr0 with paging on"
    EXPECT32 SCR + 0x94, $0x60000011, "mov cr0, r32: paging off again"

    /* ---- string I/O in 32-bit code ---- */
    movl $0x11111111, SCR + 0x300
    movl $0x11111111, SCR + 0x304
    movw $0xe9, %dx
    movl $(SCR + 0x300), %edi
    movl $5, %ecx
    rep insb                   /* F3 6C */
    movl %edi, SCR + 0x308
    movl %ecx, SCR + 0x30c
    EXPECT32 SCR + 0x300, $0xe9e9e9e9, "rep insb (F3 6C): bytes from port 0xE9"
    EXPECT32 SCR + 0x304, $0x111111e9, "rep insb: five bytes, no more"
    EXPECT32 SCR + 0x308, $(SCR + 0x305), "rep insb: EDI + 5"
    EXPECT32 SCR + 0x30c, $0, "rep insb: ECX = 0"
    movl $0x11111111, SCR + 0x318
    movw $FREE_PORT, %dx
    movl $(SCR + 0x310), %edi
    movl $2, %ecx
    rep insl                   /* F3 6D */
    movl %edi, SCR + 0x31c
    EXPECT32 SCR + 0x310, $0xffffffff, "rep insd (F3 6D): all ones from an unassigned port"
    EXPECT32 SCR + 0x318, $0x11111111, "rep insd: two dwords, no more"
    EXPECT32 SCR + 0x31c, $(SCR + 0x318), "rep insd: EDI + 8"
    /* REP OUTSD with ES override (26 F3 6F): ES has base 0x1000. */
    movl $0x111111a1, SCR + 0x400
    movl $0x222222b2, SCR + 0x404
    movl $0x333333c3, SCR + 0x1400
    movl $0x444444d4, SCR + 0x1404
    movw $SEL_DATA_B, %ax
    movw %ax, %es
    movw $FREE_PORT, %dx
    cmpl $0, IS_QEMU
    jne 1f
    movw $UART_SCR, %dx
1:  movl $(SCR + 0x400), %esi
    movl $2, %ecx
    rep outsl %es:(%esi), (%dx)
    movl %esi, SCR + 0x320
    movl %ecx, SCR + 0x324
    movw $SEL_DATA32, %ax
    movw %ax, %es
    EXPECT32 SCR + 0x320, $(SCR + 0x408), "rep outsd (26 F3 6F): ESI + 8"
    EXPECT32 SCR + 0x324, $0, "rep outsd: ECX = 0"
    cmpl $0, IS_QEMU
    jne 2f
    movw $UART_SCR, %dx
    inb %dx, %al
    movzbl %al, %eax
    movl %eax, SCR + 0x328
    EXPECT32 SCR + 0x328, $0xd4, "rep outsd es:[esi]: data read through ES (base 0x1000)"
    jmp 3f
2:  SKIP32 "rep outsd es:[esi] data: QEMU 7.2 aborts on wide accesses to the 16550"
3:

    /* ---- far JMP ptr16:16 (66 EA) to a 16-bit code segment, and back ---- */
    movl $0, SCR + 0x500
    ljmpw $SEL_CODE16, $(pm16 - start16)
pm32_back:
    EXPECT32 SCR + 0x500, $SEL_CODE16, "ljmp ptr16:16 (66 EA) from 32-bit code: CS = 0x18"
    EXPECT32 SCR + 0x504, $((SEL_CODE16 << 16) | (pm16_lc - start16)), "lcall m (FF /3) in 16-bit protected mode: CS:IP pushed"
    EXPECT32 SCR + 0x508, $SEL_CODE16, "lcall m in 16-bit protected mode: CS"
    EXPECT32 SCR + 0x50c, $STACK, "retf in 16-bit protected mode: ESP back (32-bit stack)"
    EXPECT32 SCR + 0x510, $0x0cd7, "iret (CF) in 16-bit protected mode: FLAGS from the frame"
    EXPECT32 SCR + 0x514, $STACK, "iret in 16-bit protected mode: ESP + 6"
    EXPECT32 SCR + 0x518, $SEL_CODE32, "ljmp ptr16:32 (66 EA) from 16-bit code: CS = 0x08"

    /* ---- summary; the verdict with OUT DX, EAX (bits 8-31 are ignored by the exit) ---- */
    movl $s_sum, %esi
    call puts32
    movl PASSES, %eax
    call puthex32
    movl $s_sum2, %esi
    call puts32
    movl FAILS, %eax
    call puthex32
    movl $s_sum3, %esi
    call puts32
    movl SKIPS, %eax
    call puthex32
    movl $s_sum4, %esi
    call puts32
    movl $NCHECKS, %eax
    call puthex32
    movl $s_nl, %esi
    call puts32
    movl $0xdead0011, %eax
    cmpl $0, FAILS
    jne 1f
    movl PASSES, %ecx
    addl SKIPS, %ecx
    cmpl $NCHECKS, %ecx
    jne 1f
    movl $0xdead0010, %eax
1:  movw $0xf4, %dx
    outl %eax, %dx
2:  hlt
    jmp 2b

sub32_rec:
    movl (%esp), %eax
    movl %eax, SCR + 0x50
    movl %esp, SCR + 0x54
    ret

expect32:
    cmpl %ecx, %eax
    jne 1f
    incl PASSES
    movl $s_pass, %esi
    call puts32
    movl %edi, %esi
    call puts32
    movl $s_nl, %esi
    call puts32
    ret
1:  incl FAILS
    pushl %eax
    movl $s_fail, %esi
    call puts32
    movl %edi, %esi
    call puts32
    movl $s_exp, %esi
    call puts32
    movl %ecx, %eax
    call puthex32
    movl $s_got, %esi
    call puts32
    popl %eax
    call puthex32
    movl $s_nl, %esi
    call puts32
    ret

skip32:
    incl SKIPS
    movl $s_skip, %esi
    call puts32
    movl %edi, %esi
    call puts32
    movl $s_nl, %esi
    call puts32
    ret

puts32:
    pushl %eax
1:  lodsb
    testb %al, %al
    jz 2f
    outb %al, $0xe9
    jmp 1b
2:  popl %eax
    ret

puthex32:
    pushl %eax
    pushl %ecx
    pushl %edx
    movl %eax, %edx
    movl $8, %ecx
1:  roll $4, %edx
    movb %dl, %al
    andb $0xf, %al
    addb $0x30, %al
    cmpb $0x39, %al
    jbe 2f
    addb $7, %al
2:  outb %al, $0xe9
    decl %ecx
    jnz 1b
    popl %edx
    popl %ecx
    popl %eax
    ret

/* Protected-mode exceptions: recorded; resume at FIXUP, or report and stop. */
    .align 16
pm_stubs:
    .set vec, 0
    .rept 32
    .align 16
    .if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17)
    .else
    pushl $0
    .endif
    pushl $vec
    jmp pm_common
    .set vec, vec + 1
    .endr
pm_common:
    pushl %eax
    pushl %ds
    movw $SEL_DATA32, %ax
    movw %ax, %ds
    movl 8(%esp), %eax
    movl %eax, TRAPVEC
    movl 12(%esp), %eax
    movl %eax, TRAPERR
    movl 16(%esp), %eax
    movl %eax, TRAPEIP
    incl TRAPCNT
    movl FIXUP, %eax
    testl %eax, %eax
    jz 1f
    movl %eax, 16(%esp)
    movl $0, FIXUP
    popl %ds
    popl %eax
    addl $8, %esp
    iret
1:  movl $s_unexp32, %esi
    call puts32
    movl TRAPVEC, %eax
    call puthex32
    movl $s_at, %esi
    call puts32
    movl TRAPEIP, %eax
    call puthex32
    movl $s_nl, %esi
    call puts32
    movw $0xf4, %dx
    movl $0x11, %eax
    outl %eax, %dx
2:  hlt
    jmp 2b

/* ---------------------------------------------------------------------------------------- */
/* 16-bit protected mode (CS = 0x18, base 0xF0000; SS is the flat 32-bit data segment)      */
    .code16
pm16:
    movw %cs, SCR + 0x500
    movl $0, SCR + 0x508
    movw $(pm16_far - start16), SCR + 0x520
    movw $SEL_CODE16, SCR + 0x522
    lcall *SCR + 0x520
pm16_lc:
    movl %esp, SCR + 0x50c
    pushw $0x0cd7
    pushw %cs
    pushw $(pm16_iret - start16)
    iret
pm16_iret:
    pushfw
    popw SCR + 0x510
    movw $0, SCR + 0x512
    pushw $0x0002
    popfw
    movl %esp, SCR + 0x514
    ljmpl $SEL_CODE32, $pm16_back32

pm16_far:
    movl (%esp), %eax          /* 67: the 32-bit stack */
    movl %eax, SCR + 0x504
    movw %cs, SCR + 0x508
    lret

    .code32
pm16_back32:
    movl $0, SCR + 0x518
    movw %cs, SCR + 0x518
    jmp pm32_back

/* ---------------------------------------------------------------------------------------- */
k_const:
    .long 0x13579bdf
    .set k_const_off, k_const - start16
    .align 8
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff  /* 0x08 code 32, flat (accessed bit preset: the GDT is ROM) */
    .quad 0x00cf93000000ffff  /* 0x10 data 32, flat */
    .quad 0x00009b0f0000ffff  /* 0x18 code 16, base 0xF0000, limit 0xFFFF */
    .quad 0x000093000000ffff  /* 0x20 data 16, base 0, limit 0xFFFF */
    .quad 0x00cf93001000ffff  /* 0x28 data 32, base 0x1000 */
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt
    .set gdt_ptr_off, gdt_ptr - start16
ivt2_ptr:
    .word 0x3ff
    .long IVT2
    .set ivt2_ptr_off, ivt2_ptr - start16
ivt0_ptr:
    .word 0x3ff
    .long 0
    .set ivt0_ptr_off, ivt0_ptr - start16
idt32_ptr:
    .word 32 * 8 - 1
    .long IDT32

s_head:    .asciz "metal: legacy\n"
s_pass:    .asciz "PASS "
s_fail:    .asciz "FAIL "
s_skip:    .asciz "SKIP "
s_exp:     .asciz ": expected 0x"
s_got:     .asciz ", got 0x"
s_nl:      .asciz "\n"
s_at:      .asciz " at 0x"
s_unexp16: .asciz "FAIL unexpected exception in real mode, vector 0x"
s_unexp32: .asciz "FAIL unexpected exception in protected mode, vector 0x"
s_sum:     .asciz "legacy: 0x"
s_sum2:    .asciz " passed, 0x"
s_sum3:    .asciz " failed, 0x"
s_sum4:    .asciz " skipped, of 0x"

    .section .reset, "ax"
    .code16
reset_vector:
    ljmp $0xf000, $0
