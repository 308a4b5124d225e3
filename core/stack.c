/* SPDX-License-Identifier: MIT */
/*
 * Stack pushes and pops (Intel SDM vol. 1 6.2, vol. 3 5.3): the address size of the stack is
 * SS.B outside 64-bit mode (SZ64 in it); RSP changes only once the access has succeeded, so a
 * faulting push or pop leaves it as it was.
 */
#include "core/exec.h"

/* @rsp moved by @delta at the stack's address size, other bits of RSP kept. */
static inline u64 stack_adjust(const struct cpu *c, u64 rsp, u64 delta)
{
    switch (c->stack_size) {
    case SZ64:
        return rsp + delta;
    case SZ32:
        return (u32)(rsp + delta);
    default:
        return (rsp & ~0xffffull) | ((rsp + delta) & 0xffff);
    }
}

void cpu_push(struct cpu *c, unsigned size, u64 v)
{
    u64 rsp = stack_adjust(c, c->gpr[4], -(u64)(1u << size));
    u64 off = c->stack_size == SZ64 ? rsp : rsp & size_mask(c->stack_size);

    cpu_write_sized(c, SEG_SS, off, size, v);
    c->gpr[4] = rsp;
}

u64 cpu_pop(struct cpu *c, unsigned size)
{
    u64 rsp = c->gpr[4];
    u64 off = c->stack_size == SZ64 ? rsp : rsp & size_mask(c->stack_size);
    u64 v = cpu_read_sized(c, SEG_SS, off, size);

    c->gpr[4] = stack_adjust(c, rsp, 1u << size);
    return v;
}
