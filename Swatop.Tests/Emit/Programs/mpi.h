/*
 * mpi.h for the tests of the emitted MPI launch: the part of the MPI standard's C binding the
 * emitted MPE files use, implemented by fake_mpi.c for one rank of a job per process. The test
 * runs the program once per rank, each run reading its rank and the job's size from rank.txt.
 */
#ifndef MPI_INCLUDED
#define MPI_INCLUDED

typedef int MPI_Comm;
typedef int MPI_Datatype;
typedef int MPI_Op;

#define MPI_COMM_WORLD 1
#define MPI_BYTE 1
#define MPI_INT 2
#define MPI_MIN 1
#define MPI_BOR 2
#define MPI_IN_PLACE ((void *)-1)
#define MPI_SUCCESS 0

int MPI_Init(int *argc, char ***argv);
int MPI_Finalize(void);
int MPI_Abort(MPI_Comm comm, int errorcode);
int MPI_Comm_rank(MPI_Comm comm, int *rank);
int MPI_Comm_size(MPI_Comm comm, int *size);
int MPI_Barrier(MPI_Comm comm);
int MPI_Reduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm);
int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op, MPI_Comm comm);

#endif
