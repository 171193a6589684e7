using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Spumr.GraphMaintainer.Graphs;

/// <summary>Rows of a matrix: either listed ids or the range Start..Start+Count-1.</summary>
internal readonly ref struct RowSelection
{
    private readonly ReadOnlySpan<int> _ids;
    private readonly int _start;

    private RowSelection(ReadOnlySpan<int> ids, int start, int count)
    {
        _ids = ids;
        _start = start;
        Count = count;
    }

    public int Count { get; }

    public int this[int i] => _ids.IsEmpty ? _start + i : _ids[i];

    public bool IsRange => _ids.IsEmpty;

    public static RowSelection Of(ReadOnlySpan<int> ids) => new(ids, 0, ids.Length);

    public static RowSelection Range(int start, int count) => new(default, start, count);
}

/// <summary>
/// Blocked matrix product C = A Bᵀ for dot products between rows of a <see cref="PanelMatrix"/>, on AVX-512
/// registers (Vector512, emulated where the hardware lacks it). Every output element is the
/// canonical dot product of <see cref="UnitVectors.Dot"/>: one fused multiply-add chain in
/// index order, whatever the tiling or thread. That is what makes incremental repairs and batch
/// builds bit-identical. Not thread-safe: one instance per thread (<see cref="ForCurrentThread"/>).
/// </summary>
internal sealed unsafe class DotProductKernel
{
    // Register tile MR x NR (16 accumulators of 16 lanes), k-blocks of KC: the packed A block
    // stays in L2 and one B panel slice (KC x NR, read in place from the panel matrix) in L1.
    private const int MR = 8;
    private const int NR = PanelMatrix.PanelRows;
    private const int KC = 256;

    // Rows of a trailing A panel computed one at a time (against RowPanels B panels at once).
    private const int NarrowRows = 4;
    private const int RowPanels = 4;

    [ThreadStatic]
    private static DotProductKernel? _threadInstance;

    private float[] _aPack = new float[32 * MR * KC];
    private readonly float[] _tile = new float[MR * NR];
    private readonly float[] _rowTile = new float[RowPanels * NR];
    private readonly float[] _zeros = new float[KC * NR];

    public static DotProductKernel ForCurrentThread() => _threadInstance ??= new DotProductKernel();

    /// <summary>
    /// c[i * ldc + j] = dot(row aRows[i], row firstB + j) for j &lt; bCount, all rows of the
    /// <see cref="PanelMatrix"/> at <paramref name="panels"/>; firstB must start a panel.
    /// The right-hand side is read in place: its panels are already the packed layout.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(float* panels, int width, RowSelection aRows, int firstB, int bCount, float* c, long ldc)
    {
        var rowsA = aRows.Count;
        if (rowsA == 0 || bCount == 0)
        {
            return;
        }

        var panelsA = (rowsA + MR - 1) / MR;
        if (_aPack.Length < panelsA * MR * KC)
        {
            _aPack = new float[panelsA * MR * KC];
        }

        var panelSize = (long)PanelMatrix.PanelRows * width;
        var panelsB = (bCount + NR - 1) / NR;
        var rowPanels = stackalloc float*[RowPanels];
        fixed (float* aPack = _aPack, tile = _tile, rowTile = _rowTile, zeros = _zeros)
        {
            for (var k0 = 0; k0 < width; k0 += KC)
            {
                var kc = Math.Min(KC, width - k0);
                var first = k0 == 0;
                PackA(panels, panelSize, aRows, k0, kc, aPack);
                // A trailing panel with few rows runs row by row (no 8-row padding): this is the whole
                // product when a repair recomputes only a handful of rows.
                var fullPanels = rowsA % MR is > 0 and <= NarrowRows ? panelsA - 1 : panelsA;
                for (var q = 0; q < panelsB; q++)
                {
                    var cols = Math.Min(NR, bCount - (q * NR));
                    var bp = panels + (((firstB / NR) + q) * panelSize) + (k0 * NR);
                    for (var p = 0; p < fullPanels; p++)
                    {
                        var rows = Math.Min(MR, rowsA - (p * MR));
                        var ap = aPack + (p * MR * kc);
                        var cp = c + (p * MR * ldc) + (q * NR);
                        if (rows == MR && cols == NR)
                        {
                            Micro(kc, ap, bp, cp, ldc, first);
                        }
                        else
                        {
                            EdgeTile(kc, ap, bp, cp, ldc, first, rows, cols, tile);
                        }
                    }
                }

                for (var r = fullPanels * MR; r < rowsA; r++)
                {
                    var ap = aPack + (fullPanels * MR * kc) + (r % MR);
                    for (var q = 0; q < panelsB; q += RowPanels)
                    {
                        var cols = Math.Min(RowPanels * NR, bCount - (q * NR));
                        var bp = panels + (((firstB / NR) + q) * panelSize) + (k0 * NR);
                        var cp = c + (r * ldc) + (q * NR);
                        var stride = panelSize;
                        if (cols == RowPanels * NR)
                        {
                            MicroRow(kc, ap, bp, stride, cp, first);
                            continue;
                        }

                        // Short last group: missing panels read zeros, results go through a buffer.
                        if (!first)
                        {
                            new ReadOnlySpan<float>(cp, cols).CopyTo(new Span<float>(rowTile, cols));
                        }

                        if (cols <= (RowPanels - 1) * NR)
                        {
                            var available = (cols + NR - 1) / NR;
                            for (var x = 0; x < RowPanels; x++)
                            {
                                rowPanels[x] = x < available ? bp + (x * stride) : zeros;
                            }

                            MicroRow(kc, ap, rowPanels, rowTile, first);
                        }
                        else
                        {
                            MicroRow(kc, ap, bp, stride, rowTile, first);
                        }

                        new ReadOnlySpan<float>(rowTile, cols).CopyTo(new Span<float>(cp, cols));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs rows of the panel matrix as MR-row panels (for each k, the MR rows' values; zero
    /// padding). Aligned runs of MR consecutive rows are copied as vectors straight from their panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(float* panels, long panelSize, RowSelection rows, int k0, int kc, float* dst)
    {
        var count = rows.Count;
        for (var p = 0; p * MR < count; p++)
        {
            var panel = dst + (p * MR * kc);
            var first = rows[p * MR];
            if (rows.IsRange && first % MR == 0 && (p * MR) + MR <= count)
            {
                var src = panels + ((first / NR) * panelSize) + (k0 * NR) + (first % NR);
                for (var k = 0; k < kc; k++)
                {
                    Vector256.Store(Vector256.Load(src + (k * NR)), panel + (k * MR));
                }

                continue;
            }

            for (var r = 0; r < MR; r++)
            {
                var i = (p * MR) + r;
                if (i < count)
                {
                    var row = rows[i];
                    var src = panels + ((row / NR) * panelSize) + (k0 * NR) + (row % NR);
                    for (var k = 0; k < kc; k++)
                    {
                        panel[(k * MR) + r] = src[k * NR];
                    }
                }
                else
                {
                    for (var k = 0; k < kc; k++)
                    {
                        panel[(k * MR) + r] = 0f;
                    }
                }
            }
        }
    }

    private static void EdgeTile(int kc, float* ap, float* bp, float* cp, long ldc, bool first, int rows, int cols, float* tile)
    {
        if (!first)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var x = 0; x < cols; x++)
                {
                    tile[(r * NR) + x] = cp[(r * ldc) + x];
                }
            }
        }

        Micro(kc, ap, bp, tile, NR, first);
        for (var r = 0; r < rows; r++)
        {
            for (var x = 0; x < cols; x++)
            {
                cp[(r * ldc) + x] = tile[(r * NR) + x];
            }
        }
    }

    /// <summary>One A row against RowPanels consecutive B panels (stride apart): 8 accumulators, the same FMA chain per pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroRow(int kc, float* ap, float* bp, long stride, float* c, bool first)
    {
        var rowPanels = stackalloc float*[RowPanels];
        for (var x = 0; x < RowPanels; x++)
        {
            rowPanels[x] = bp + (x * stride);
        }

        MicroRow(kc, ap, rowPanels, c, first);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroRow(int kc, float* ap, float** bp, float* c, bool first)
    {
        var b0 = bp[0];
        var b1 = bp[1];
        var b2 = bp[2];
        var b3 = bp[3];
        Vector512<float> c0, c1, c2, c3, c4, c5, c6, c7;
        if (first)
        {
            c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = Vector512<float>.Zero;
        }
        else
        {
            c0 = Vector512.Load(c);
            c1 = Vector512.Load(c + 16);
            c2 = Vector512.Load(c + 32);
            c3 = Vector512.Load(c + 48);
            c4 = Vector512.Load(c + 64);
            c5 = Vector512.Load(c + 80);
            c6 = Vector512.Load(c + 96);
            c7 = Vector512.Load(c + 112);
        }

        for (var k = 0; k < kc; k++)
        {
            var a = Vector512.Create(ap[k * MR]);
            var o = k * NR;
            c0 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b0 + o), c0);
            c1 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b0 + o + 16), c1);
            c2 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b1 + o), c2);
            c3 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b1 + o + 16), c3);
            c4 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b2 + o), c4);
            c5 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b2 + o + 16), c5);
            c6 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b3 + o), c6);
            c7 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b3 + o + 16), c7);
        }

        c0.Store(c);
        c1.Store(c + 16);
        c2.Store(c + 32);
        c3.Store(c + 48);
        c4.Store(c + 64);
        c5.Store(c + 80);
        c6.Store(c + 96);
        c7.Store(c + 112);
    }

    /// <summary>
    /// The MR x NR register tile: for each k in order, acc[r, x] = fma(a[r, k], b[x, k], acc[r, x]).
    /// Starts from zero on the first k-block, else continues from the partial sums stored in c.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro(int kc, float* ap, float* bp, float* c, long ldc, bool first)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (first)
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector512<float>.Zero;
            c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<float>.Zero;
        }
        else
        {
            c00 = Vector512.Load(c);
            c01 = Vector512.Load(c + 16);
            c10 = Vector512.Load(c + ldc);
            c11 = Vector512.Load(c + ldc + 16);
            c20 = Vector512.Load(c + (2 * ldc));
            c21 = Vector512.Load(c + (2 * ldc) + 16);
            c30 = Vector512.Load(c + (3 * ldc));
            c31 = Vector512.Load(c + (3 * ldc) + 16);
            c40 = Vector512.Load(c + (4 * ldc));
            c41 = Vector512.Load(c + (4 * ldc) + 16);
            c50 = Vector512.Load(c + (5 * ldc));
            c51 = Vector512.Load(c + (5 * ldc) + 16);
            c60 = Vector512.Load(c + (6 * ldc));
            c61 = Vector512.Load(c + (6 * ldc) + 16);
            c70 = Vector512.Load(c + (7 * ldc));
            c71 = Vector512.Load(c + (7 * ldc) + 16);
        }

        for (var k = 0; k < kc; k++)
        {
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 16);
            var a = Vector512.Create(ap[0]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(ap[1]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(ap[2]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(ap[3]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(ap[4]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(ap[5]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(ap[6]);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(ap[7]);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
            ap += MR;
            bp += NR;
        }

        c00.Store(c);
        c01.Store(c + 16);
        c10.Store(c + ldc);
        c11.Store(c + ldc + 16);
        c20.Store(c + (2 * ldc));
        c21.Store(c + (2 * ldc) + 16);
        c30.Store(c + (3 * ldc));
        c31.Store(c + (3 * ldc) + 16);
        c40.Store(c + (4 * ldc));
        c41.Store(c + (4 * ldc) + 16);
        c50.Store(c + (5 * ldc));
        c51.Store(c + (5 * ldc) + 16);
        c60.Store(c + (6 * ldc));
        c61.Store(c + (6 * ldc) + 16);
        c70.Store(c + (7 * ldc));
        c71.Store(c + (7 * ldc) + 16);
    }
}
