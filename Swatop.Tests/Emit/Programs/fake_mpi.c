/*
 * One rank of an MPI job per process, for the tests of the emitted MPI launch. rank.txt holds the
 * rank and the job's size. Collectives see this rank alone: MPI_Allreduce of one int returns it,
 * and MPI_Reduce appends this rank's contribution to reduce-RANK.bin, which the test merges with
 * the other ranks' as MPI_BOR would. Anything else aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpi.h>

static int rank = -1, size = -1;

static void need(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fake MPI: %s\n", what);
        exit(3);
    }
}

int MPI_Init(int *argc, char ***argv)
{
    FILE *in = fopen("rank.txt", "r");
    (void)argc;
    (void)argv;
    need(in != NULL && fscanf(in, "%d %d", &rank, &size) == 2 && rank >= 0 && rank < size, "rank.txt must hold the rank and the size");
    fclose(in);
    return MPI_SUCCESS;
}

int MPI_Finalize(void) { return MPI_SUCCESS; }

int MPI_Abort(MPI_Comm comm, int errorcode)
{
    (void)comm;
    exit(errorcode);
}

int MPI_Comm_rank(MPI_Comm comm, int *r)
{
    need(comm == MPI_COMM_WORLD && rank >= 0, "MPI_Comm_rank before MPI_Init");
    *r = rank;
    return MPI_SUCCESS;
}

int MPI_Comm_size(MPI_Comm comm, int *s)
{
    need(comm == MPI_COMM_WORLD && size >= 0, "MPI_Comm_size before MPI_Init");
    *s = size;
    return MPI_SUCCESS;
}

int MPI_Barrier(MPI_Comm comm)
{
    (void)comm;
    return MPI_SUCCESS;
}

int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    need(count == 1 && datatype == MPI_INT && op == MPI_MIN && comm == MPI_COMM_WORLD && sendbuf != MPI_IN_PLACE, "only the status's MPI_Allreduce is faked");
    memcpy(recvbuf, sendbuf, sizeof(int));
    return MPI_SUCCESS;
}

int MPI_Reduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm)
{
    char path[64];
    FILE *out;
    need(datatype == MPI_BYTE && op == MPI_BOR && root == 0 && comm == MPI_COMM_WORLD, "only a bitwise OR of bytes into rank 0 is faked");
    need((rank == 0) == (sendbuf == MPI_IN_PLACE), "rank 0, and only it, reduces in place");
    snprintf(path, sizeof path, "reduce-%d.bin", rank);
    out = fopen(path, "ab");
    need(out != NULL && fwrite(rank == 0 ? recvbuf : sendbuf, 1, (size_t)count, out) == (size_t)count && fclose(out) == 0, "cannot write reduce-RANK.bin");
    return MPI_SUCCESS;
}
