/* SPDX-License-Identifier: MIT */
/*
 * CPU benchmark kernel, compiled-program mix: what real programs spend their time on (calls
 * and returns, stack frames, loads and stores through pointers, data-dependent branches,
 * indirect jumps). A bytecode interpreter (switch dispatch), a chained hash table of byte-string
 * keys, a merge sort of records through a comparison callback, and a recursive binary search
 * tree, repeated a fixed number of times. Prints a checksum (the same under every emulator).
 */
#include "lib/metal.h"

const char metal_test_name[] = "bench-prog";

#define ROUNDS 12

#define NOINLINE __attribute__((noinline))

static u64 rng_state;

static NOINLINE u32 rng(void)
{
    u64 x = rng_state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return (u32)(x >> 16);
}

/* ---- a stack-machine interpreter ------------------------------------------------------- */

enum op {
    OP_PUSH,
    OP_LOAD,
    OP_STORE,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_AND,
    OP_SHR,
    OP_LT,
    OP_JZ,
    OP_JMP,
    OP_XOR,
    OP_DUP,
    OP_POP,
    OP_HALT
};

struct vm_insn {
    u8 op;
    int arg;
};

struct vm {
    i64 stack[64];
    i64 vars[16];
    int sp;
};

static NOINLINE i64 vm_run(struct vm *m, const struct vm_insn *code)
{
    const struct vm_insn *pc = code;

    for (;;) {
        const struct vm_insn *in = pc++;
        i64 a, b;

        switch (in->op) {
        case OP_PUSH:
            m->stack[m->sp++] = in->arg;
            break;
        case OP_LOAD:
            m->stack[m->sp++] = m->vars[in->arg];
            break;
        case OP_STORE:
            m->vars[in->arg] = m->stack[--m->sp];
            break;
        case OP_ADD:
        case OP_SUB:
        case OP_MUL:
        case OP_AND:
        case OP_SHR:
        case OP_LT:
        case OP_XOR:
            b = m->stack[--m->sp];
            a = m->stack[m->sp - 1];
            switch (in->op) {
            case OP_ADD:
                a += b;
                break;
            case OP_SUB:
                a -= b;
                break;
            case OP_MUL:
                a *= b;
                break;
            case OP_AND:
                a &= b;
                break;
            case OP_SHR:
                a = (i64)((u64)a >> (b & 63));
                break;
            case OP_LT:
                a = a < b;
                break;
            default:
                a ^= b;
                break;
            }
            m->stack[m->sp - 1] = a;
            break;
        case OP_JZ:
            if (!m->stack[--m->sp])
                pc = code + in->arg;
            break;
        case OP_JMP:
            pc = code + in->arg;
            break;
        case OP_DUP:
            m->stack[m->sp] = m->stack[m->sp - 1];
            m->sp++;
            break;
        case OP_POP:
            m->sp--;
            break;
        default:
            return m->vars[1];
        }
    }
}

/* v0 = n; v1 = 0; v2 = seed;
 * while (v0) { v2 = (v2 * 1103515245 + 12345) & 0x7fffffff; v1 ^= (v2 >> 3) + v0; v0--; } */
/* clang-format off */
static const struct vm_insn vm_prog[] = {
    {OP_PUSH, 0}, {OP_STORE, 1},                                    /*  0: v1 = 0 */
    {OP_LOAD, 0}, {OP_JZ, 28},                                      /*  2: while (v0) */
    {OP_LOAD, 2}, {OP_PUSH, 1103515245}, {OP_MUL, 0},               /*  4: v2 * a */
    {OP_PUSH, 12345}, {OP_ADD, 0}, {OP_PUSH, 0x7fffffff}, {OP_AND, 0},
    {OP_DUP, 0}, {OP_STORE, 2},                                     /* 11: v2 = ... */
    {OP_PUSH, 3}, {OP_SHR, 0}, {OP_LOAD, 0}, {OP_ADD, 0},           /* 13: (v2 >> 3) + v0 */
    {OP_LOAD, 1}, {OP_XOR, 0}, {OP_STORE, 1},                       /* 17: v1 ^= */
    {OP_LOAD, 0}, {OP_PUSH, 1}, {OP_SUB, 0}, {OP_STORE, 0},         /* 20: v0-- */
    {OP_PUSH, 0}, {OP_POP, 0}, {OP_JMP, 2}, {OP_HALT, 0},           /* 24 */
    {OP_HALT, 0},                                                   /* 28 */
};
/* clang-format on */

static u64 bench_vm(u32 n, u64 seed)
{
    struct vm m = {.sp = 0};

    m.vars[0] = n;
    m.vars[2] = (i64)(seed & 0x7fffffff);
    return (u64)vm_run(&m, vm_prog);
}

/* ---- a chained hash table of byte-string keys ------------------------------------------ */

#define HT_BUCKETS 4096
#define HT_NODES   16384
#define KEY_MAX    16

struct ht_node {
    struct ht_node *next;
    u32 hash;
    u32 count;
    u8 len;
    u8 key[KEY_MAX];
};

struct ht {
    struct ht_node *bucket[HT_BUCKETS];
    struct ht_node nodes[HT_NODES];
    u32 n_used;
};

static struct ht table;

static NOINLINE u32 ht_hash(const u8 *k, u32 len)
{
    u32 h = 2166136261u; /* FNV-1a */

    for (u32 i = 0; i < len; i++)
        h = (h ^ k[i]) * 16777619u;
    return h;
}

static NOINLINE int key_eq(const u8 *a, const u8 *b, u32 len)
{
    for (u32 i = 0; i < len; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static NOINLINE struct ht_node *ht_find_or_add(struct ht *t, const u8 *k, u32 len)
{
    u32 h = ht_hash(k, len);
    struct ht_node **pp = &t->bucket[h & (HT_BUCKETS - 1)];
    struct ht_node *n;

    for (n = *pp; n; n = n->next)
        if (n->hash == h && n->len == len && key_eq(n->key, k, len))
            return n;
    if (t->n_used == HT_NODES)
        return 0;
    n = &t->nodes[t->n_used++];
    n->hash = h;
    n->len = (u8)len;
    n->count = 0;
    for (u32 i = 0; i < len; i++)
        n->key[i] = k[i];
    n->next = *pp;
    *pp = n;
    return n;
}

static NOINLINE u32 make_word(u8 *w)
{
    u32 r = rng(), len = 3 + (r & 7);

    for (u32 i = 0; i < len; i++)
        w[i] = (u8)('a' + (rng() % 13));
    return len;
}

static u64 bench_hash(u32 n_words)
{
    u64 sum = 0;
    u8 w[KEY_MAX];

    for (u32 b = 0; b < HT_BUCKETS; b++)
        table.bucket[b] = 0;
    table.n_used = 0;
    for (u32 k = 0; k < n_words; k++) {
        u32 len = make_word(w);
        struct ht_node *n = ht_find_or_add(&table, w, len);

        if (n)
            n->count++;
    }
    for (u32 b = 0; b < HT_BUCKETS; b++)
        for (struct ht_node *n = table.bucket[b]; n; n = n->next)
            sum = sum * 31 + n->count * (u64)n->hash;
    return sum + table.n_used;
}

/* ---- merge sort of records through a comparison callback ------------------------------- */

#define N_RECS 8192

struct rec {
    u32 key;
    u16 group;
    u16 pad;
    u64 payload;
};

static struct rec recs[N_RECS], tmp_recs[N_RECS];

typedef int cmp_fn(const void *a, const void *b);

static int cmp_rec(const void *pa, const void *pb)
{
    const struct rec *a = pa, *b = pb;

    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return 0;
}

static NOINLINE void copy_rec(struct rec *d, const struct rec *s)
{
    *d = *s;
}

static NOINLINE void merge_sort(struct rec *a, struct rec *t, u32 n, cmp_fn *cmp)
{
    u32 h = n / 2, i = 0, j = h, k = 0;

    if (n < 2)
        return;
    merge_sort(a, t, h, cmp);
    merge_sort(a + h, t, n - h, cmp);
    while (i < h && j < n) {
        if (cmp(&a[j], &a[i]) < 0)
            copy_rec(&t[k++], &a[j++]);
        else
            copy_rec(&t[k++], &a[i++]);
    }
    while (i < h)
        copy_rec(&t[k++], &a[i++]);
    while (j < n)
        copy_rec(&t[k++], &a[j++]);
    for (k = 0; k < n; k++)
        copy_rec(&a[k], &t[k]);
}

static u64 bench_sort(void)
{
    u64 sum = 0;

    for (u32 k = 0; k < N_RECS; k++) {
        recs[k].key = rng();
        recs[k].group = (u16)(rng() & 15);
        recs[k].payload = k;
    }
    merge_sort(recs, tmp_recs, N_RECS, cmp_rec);
    for (u32 k = 0; k < N_RECS; k += 61)
        sum = sum * 131 + recs[k].payload + (k && cmp_rec(&recs[k - 1], &recs[k]) <= 0);
    return sum;
}

/* ---- a recursive binary search tree ---------------------------------------------------- */

#define N_TREE 8192

struct tnode {
    struct tnode *left, *right;
    u32 key;
    u32 value;
};

static struct tnode tnodes[N_TREE];

static NOINLINE struct tnode *tree_insert(struct tnode *root, struct tnode *n)
{
    if (!root)
        return n;
    if (n->key < root->key)
        root->left = tree_insert(root->left, n);
    else
        root->right = tree_insert(root->right, n);
    return root;
}

static NOINLINE u64 tree_walk(const struct tnode *t, u32 depth)
{
    if (!t)
        return depth;
    return tree_walk(t->left, depth + 1) * 3 + t->value + tree_walk(t->right, depth + 1);
}

static u64 bench_tree(void)
{
    struct tnode *root = 0;

    for (u32 k = 0; k < N_TREE; k++) {
        tnodes[k].left = tnodes[k].right = 0;
        tnodes[k].key = rng();
        tnodes[k].value = k;
        root = tree_insert(root, &tnodes[k]);
    }
    return tree_walk(root, 0);
}

void test_main(void)
{
    u64 sum = 0;

    rng_state = 0x9e3779b97f4a7c15ull;
    for (int r = 0; r < ROUNDS; r++) {
        sum = sum * 7 + bench_vm(100000, (u64)r);
        sum = sum * 7 + bench_hash(60000);
        sum = sum * 7 + bench_sort();
        sum = sum * 7 + bench_tree();
    }
    metal_printf("bench prog: checksum 0x%lx\n", sum);
    metal_check("bench prog ran", 1, "%s", "");
}
