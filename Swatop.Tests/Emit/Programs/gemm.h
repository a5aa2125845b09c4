/* The mesh GEMM test kernel's shapes and parameters, shared by its host and CPE files. */
#ifndef GEMM_H
#define GEMM_H

#define M 128
#define N 32
#define K 8
#define MB (M / 8)
#define NB (N / 8)
#define KB (K / 8)

typedef struct {
    double *a; /* M x K, column-major */
    double *b; /* K x N, column-major */
    double *c; /* M x N, column-major, accumulated into */
} gemm_params_t;

#endif
