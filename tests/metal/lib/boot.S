/* SPDX-License-Identifier: MIT */
/*
 * Entry of the bare-metal test kernels: the multiboot v1 header, the 32-bit entry (multiboot
 * machine state: protected mode, paging off), the switch to IA-32e mode (Intel SDM vol. 3
 * 10.8.5: PAE, EFER.LME, CR0.PG, far jump to a 64-bit code segment), the IDT stubs and the
 * trap path, CPL3 entry through IRETQ, and a setjmp/longjmp pair for CPL3 excursions.
 */
#define MB_MAGIC 0x1badb002
#ifdef METAL_AOUT
#define MB_FLAGS 0x00010003 /* align modules, memory info, address fields */
#else
#define MB_FLAGS 0x00000003
#endif

    .section .multiboot, "a"
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
#ifdef METAL_AOUT
    .long mb_header      /* header_addr */
    .long __image_start  /* load_addr */
    .long __data_end     /* load_end_addr */
    .long __bss_end      /* bss_end_addr */
    .long _start         /* entry_addr */
#endif

    .section .text.boot, "ax"
    .code32
    .globl _start
_start:
    movl %eax, metal_boot_eax
    movl %ebx, metal_boot_ebx
    movl $metal_boot_stack_top, %esp
    movl %cr0, %eax
    movl %eax, metal_boot_cr0
    pushfl
    popl metal_boot_eflags
    movw %cs, metal_boot_cs
    movw %ds, metal_boot_ds

    /* Identity map of 0-4 GiB: PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs of 2 MiB pages (U, W). */
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x87, %eax
    movl %eax, boot_pd(,%ecx,8)
    movl $0, boot_pd+4(,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jb 1b
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $12, %eax
    addl $boot_pd + 7, %eax
    movl %eax, boot_pdpt(,%ecx,8)
    movl $0, boot_pdpt+4(,%ecx,8)
    incl %ecx
    cmpl $4, %ecx
    jb 2b
    movl $boot_pdpt + 7, boot_pml4
    movl $0, boot_pml4+4

    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $0x620, %eax           /* CR4: PAE, OSFXSR, OSXMMEXCPT */
    movl %eax, %cr4
    movl $0xc0000080, %ecx      /* EFER: SCE, LME, NXE */
    rdmsr
    orl $0x901, %eax
    wrmsr
    movl $0x80010033, %eax      /* CR0: PG, WP, NE, ET, MP, PE */
    movl %eax, %cr0
    lgdt boot_gdt_ptr
    ljmp $0x08, $long_entry

    .code64
long_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movabsq $metal_boot_stack_top, %rsp
    xorl %ebp, %ebp
    call metal_start
3:  hlt
    jmp 3b

    /* IDT stubs: 16 bytes each; vectors without an error code push a 0 in its place. */
    .text
    .align 16
    .globl metal_trap_stubs
metal_trap_stubs:
    .set vec, 0
    .rept 256
    .align 16
    .if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushq $0
    .endif
    pushq $vec
    jmp trap_common
    .set vec, vec + 1
    .endr

trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    cld
    call metal_trap
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp
    iretq

    /* metal_enter_user(rip, rsp, rflags): IRETQ to CPL3 (SDM vol. 3 6.14.3). */
    .globl metal_enter_user
metal_enter_user:
    pushq $0x23
    pushq %rsi
    pushq %rdx
    pushq $0x2b
    pushq %rdi
    iretq

    /* Runs at CPL3: calls metal_user_fn(metal_user_arg), then INT 0x81 back to CPL0. */
    .globl metal_user_trampoline
metal_user_trampoline:
    movq metal_user_arg(%rip), %rdi
    call *metal_user_fn(%rip)
    movq %rax, metal_user_ret(%rip)
    int $0x81
    ud2

    /* metal_setjmp(buf) / metal_longjmp(buf, val): rbx rbp r12-r15 rsp rip. */
    .globl metal_setjmp
metal_setjmp:
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    leaq 8(%rsp), %rax
    movq %rax, 48(%rdi)
    movq (%rsp), %rax
    movq %rax, 56(%rdi)
    xorl %eax, %eax
    ret

    .globl metal_longjmp
metal_longjmp:
    movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    movl %esi, %eax
    jmp *56(%rdi)

    .section .rodata
    .align 8
boot_gdt_ptr:
    .word 8 * 24 - 1
    .long metal_gdt

    .section .bss
    .align 4096
boot_pml4:
    .skip 4096
boot_pdpt:
    .skip 4096
boot_pd:
    .skip 4 * 4096
    .align 16
    .skip 65536
    .globl metal_boot_stack_top
metal_boot_stack_top:
