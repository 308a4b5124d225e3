/* SPDX-License-Identifier: MIT */
/*
 * Real-mode start from a ROM at the reset vector (Intel SDM vol. 3 10.1: EDX = signature,
 * CR0 = 60000010H, CS:IP = F000:FFF0 with CS.base FFFF0000H), real-mode segment arithmetic
 * (base = selector * 16, no 1 MiB wrap with A20 on), the IVT (INT n and #DE), 32-bit
 * operands and addresses with 66/67 prefixes, then protected mode (SDM 10.9) and IA-32e
 * mode (10.8.5). Results go to port 0xE9, the verdict to isa-debug-exit (port 0xF4).
 */
#define FAILS      0x6000 /* failure count (RAM, DS = 0) */
#define PASSES     0x6004
#define SCRATCH    0x7000
#define PML4       0x10000


/* CHECK16 "name": report the flags of the last comparison (ZF = pass) in real mode. */
.macro CHECK16 name
    jmp 9002f
9001: .asciz "\name"
9002: movw $(9001b - start16), %di
    call result16
.endm

.macro CHECK32 name
    jmp 9002f
9001: .asciz "\name"
9002:
    movl $9001b, %edi
    call result32
.endm

.macro CHECK64 name
    jmp 9002f
9001: .asciz "\name"
9002:
    movl $9001b, %edi
    call result64
.endm

    .text
    .code16
start16:                     /* first byte of the ROM: the reset vector jumps to F000:0000 */
    cli
    movl %edx, %ebp          /* signature at reset */
    movl %cr0, %ebx          /* CR0 at reset (before anything changes it) */
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %ss
    movw $0x7c00, %sp
    movl $0, FAILS
    movl $0, PASSES
    movw $(s_head - start16), %si
    call puts16

    cmpl $0x60000010, %ebx
    CHECK16 "reset: CR0 = 0x60000010"
    movl $1, %eax
    cpuid
    cmpl %eax, %ebp
    CHECK16 "reset: EDX = CPUID.1:EAX (processor signature)"
    movw %cs, %ax
    cmpw $0xf000, %ax
    CHECK16 "real mode: CS = 0xF000 after the far jump"

    /* 0x1000:0x0010 and 0x1001:0x0000 are the same byte (linear 0x10010). */
    movw $0x1000, %ax
    movw %ax, %es
    movw $0xbeef, %es:0x0010
    movw $0x1001, %ax
    movw %ax, %fs
    cmpw $0xbeef, %fs:0x0000
    CHECK16 "real mode: segment * 16 + offset aliases"

    /* 0xFFFF:0x0010 is linear 0x100000 (A20 on), the same as 0xF800:0x8000. */
    movw $0x1234, %ds:0x0000  /* linear 0: must stay unchanged */
    movw $0xffff, %ax
    movw %ax, %es
    movw $0x5a5a, %es:0x0010
    movw $0xf800, %ax
    movw %ax, %fs
    cmpw $0x5a5a, %fs:0x8000
    CHECK16 "real mode: FFFF:0010 reaches linear 0x100000"
    cmpw $0x1234, %ds:0x0000
    CHECK16 "real mode: no wrap to linear 0 with A20 on"

    /* INT n through the IVT. */
    movw $(int50 - start16), 0x50 * 4
    movw $0xf000, 0x50 * 4 + 2
    xorw %bx, %bx
    int $0x50
    cmpw $0x4242, %bx
    CHECK16 "real mode: int 0x50 through the IVT"
    /* #DE through IVT entry 0: the return address is the DIV itself. */
    movw $(de16 - start16), 0
    movw $0xf000, 2
    xorw %cx, %cx
    movw $1, %ax
    xorw %dx, %dx
    divw %cx                  /* 2 bytes: F7 F1; the handler skips it */
    cmpw $0xdede, %cx
    CHECK16 "real mode: #DE through IVT entry 0"

    /* 66/67 prefixes: 32-bit data and addresses in 16-bit code. */
    movl $0xcafebabe, %eax
    movl $SCRATCH, %esi
    addr32 movl %eax, (%esi)
    cmpl $0xcafebabe, SCRATCH
    CHECK16 "real mode: 32-bit operand and address (66 67)"
    /* PUSHF/POPF toggling EFLAGS.ID: CPUID detection as Linux's verify_cpu does it. */
    pushfl
    popl %eax
    movl %eax, %ecx
    xorl $0x200000, %eax
    pushl %eax
    popfl
    pushfl
    popl %eax
    xorl %ecx, %eax
    cmpl $0x200000, %eax
    CHECK16 "real mode: EFLAGS.ID is writable"

    /* Protected mode: GDT in the ROM, flat 32-bit code and data. */
    lgdtl %cs:(gdt_ptr - start16)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x08, $pm32

int50:
    movw $0x4242, %bx
    iret

de16:
    pushw %bp
    movw %sp, %bp
    addw $2, 2(%bp)           /* skip the faulting DIV */
    popw %bp
    movw $0xdede, %cx
    iret

/* result16: ZF set = pass; DI = name (offset in CS). */
result16:
    jne 1f
    incl PASSES
    movw $(s_pass - start16), %si
    jmp 2f
1:  incl FAILS
    movw $(s_fail - start16), %si
2:  call puts16
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

    .code32
pm32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl $0x7c00, %esp
    movl %cr0, %eax
    testl $1, %eax
    setz %al
    cmpb $0, %al
    CHECK32 "protected mode: CR0.PE = 1"
    movw %cs, %ax
    cmpw $0x08, %ax
    CHECK32 "protected mode: CS = 0x08"
    movl SCRATCH, %eax        /* flat: linear = offset */
    cmpl $0xcafebabe, %eax
    CHECK32 "protected mode: flat data segment"

    /* Identity map of the first 1 GiB with 2 MiB pages at PML4. */
    movl $PML4, %edi
    xorl %eax, %eax
    movl $(3 * 4096 / 4), %ecx
    rep stosl
    movl $(PML4 + 0x1000 + 3), PML4
    movl $(PML4 + 0x2000 + 3), PML4 + 0x1000
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax
    movl %eax, PML4 + 0x2000(,%ecx,8)
    incl %ecx
    cmpl $512, %ecx
    jb 1b
    movl $PML4, %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $0x20, %eax           /* PAE */
    movl %eax, %cr4
    movl $0xc0000080, %ecx
    rdmsr
    orl $0x100, %eax          /* LME */
    wrmsr
    movl %cr0, %eax
    orl $0x80000000, %eax     /* PG: IA-32e mode, compatibility mode until the far jump */
    movl %eax, %cr0
    ljmp $0x18, $lm64

result32:
    jne 1f
    incl PASSES
    movl $s_pass, %esi
    jmp 2f
1:  incl FAILS
    movl $s_fail, %esi
2:  call puts32
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

    .code64
lm64:
    movl $0xc0000080, %ecx
    rdmsr
    andl $0x500, %eax
    cmpl $0x500, %eax
    CHECK64 "long mode: EFER.LME and LMA"
    movw %cs, %ax
    cmpw $0x18, %ax
    CHECK64 "long mode: CS = 0x18 (L = 1)"
    movabsq $0x123456789abcdef0, %rax
    movq %rax, SCRATCH
    movq SCRATCH, %rbx
    cmpq %rax, %rbx
    CHECK64 "long mode: 64-bit load and store"

    movl $s_sum, %esi
    call puts64
    movl FAILS, %eax
    testl %eax, %eax
    jnz 1f
    movl PASSES, %eax
    cmpl $16, %eax            /* every check ran */
    jne 1f
    movl $0x10, %eax          /* PASS: exit status 33 */
    jmp 2f
1:  movl $0x11, %eax          /* FAIL: exit status 35 */
2:  outl %eax, $0xf4
3:  hlt
    jmp 3b

result64:
    jne 1f
    incl PASSES
    movl $s_pass, %esi
    jmp 2f
1:  incl FAILS
    movl $s_fail, %esi
2:  call puts64
    movl %edi, %esi
    call puts64
    movl $s_nl, %esi
    call puts64
    ret

puts64:
    pushq %rax
1:  lodsb
    testb %al, %al
    jz 2f
    outb %al, $0xe9
    jmp 1b
2:  popq %rax
    ret

s_head: .asciz "metal: realmode\n"
s_pass: .asciz "PASS "
s_fail: .asciz "FAIL "
s_nl:   .asciz "\n"
s_sum:  .asciz "realmode: done\n"
    .align 8
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff  /* 0x08 code 32 */
    .quad 0x00cf92000000ffff  /* 0x10 data */
    .quad 0x00af9a000000ffff  /* 0x18 code 64 */
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

    .section .reset, "ax"
    .code16
reset_vector:
    ljmp $0xf000, $0
