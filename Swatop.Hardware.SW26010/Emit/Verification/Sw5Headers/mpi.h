/*
 * mpi.h: a compile-only stand-in for the MPI header of TaihuLight's mpicc (MPICH over sw5cc), for
 * Swatop's check of emitted C on an ordinary host (Sw5HeaderCheck). It declares the part of the
 * MPI standard's C binding the emitted MPE files may use, with the standard's spellings and types;
 * the handles are opaque integers, as in MPICH. Nothing here runs.
 */
#ifndef MPI_INCLUDED
#define MPI_INCLUDED

typedef int MPI_Comm;
typedef int MPI_Datatype;
typedef int MPI_Op;

#define MPI_COMM_WORLD ((MPI_Comm)0x44000000)
#define MPI_BYTE ((MPI_Datatype)0x4c00010d)
#define MPI_UNSIGNED_CHAR ((MPI_Datatype)0x4c000102)
#define MPI_INT ((MPI_Datatype)0x4c000405)
#define MPI_LONG ((MPI_Datatype)0x4c000807)
#define MPI_DOUBLE ((MPI_Datatype)0x4c00080b)
#define MPI_FLOAT ((MPI_Datatype)0x4c00040a)
#define MPI_MAX ((MPI_Op)0x58000001)
#define MPI_MIN ((MPI_Op)0x58000002)
#define MPI_SUM ((MPI_Op)0x58000003)
#define MPI_BOR ((MPI_Op)0x58000008)
#define MPI_IN_PLACE ((void *)-1)
#define MPI_SUCCESS 0

extern int MPI_Init(int *argc, char ***argv);
extern int MPI_Finalize(void);
extern int MPI_Abort(MPI_Comm comm, int errorcode);
extern int MPI_Comm_rank(MPI_Comm comm, int *rank);
extern int MPI_Comm_size(MPI_Comm comm, int *size);
extern int MPI_Barrier(MPI_Comm comm);
extern int MPI_Reduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm);
extern int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op, MPI_Comm comm);
extern int MPI_Bcast(void *buffer, int count, MPI_Datatype datatype, int root, MPI_Comm comm);
extern double MPI_Wtime(void);

#endif /* MPI_INCLUDED */
