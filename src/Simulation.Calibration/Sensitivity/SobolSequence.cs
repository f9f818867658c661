using Simulation.Model.Randomness;

namespace Simulation.Calibration.Sensitivity;

/// <summary>
/// The Sobol low-discrepancy sequence (Sobol 1967) in up to <see cref="MaxDimensions"/> dimensions, with the
/// direction numbers of Joe and Kuo (2008, <i>SIAM J. Sci. Comput.</i> 30(5):2635-2654; file new-joe-kuo-6.21201,
/// dimensions 2-64), generated in Gray-code order (Antonov and Saleev 1979), 32 bits per coordinate. Neither
/// MathNet.Numerics nor a maintained NuGet package offers one. Point 0 of the plain sequence is the origin, so
/// <see cref="Points"/> randomises the whole sequence by a seeded digital shift (every coordinate's bits XORed
/// with one random 32-bit word per dimension, Owen 2003): it keeps each dimension's stratification (the first
/// 2^m points hold one value in each of the 2^m dyadic intervals) and makes the design a seeded random one.
/// </summary>
/// <remarks>
/// The direction numbers are Copyright (c) 2008, Frances Y. Kuo and Stephen Joe, all rights reserved, used
/// under their BSD-style licence: redistribution with or without modification is permitted provided the
/// copyright notice is retained; the names of the copyright holders may not be used to endorse derived
/// products; THE NUMBERS ARE PROVIDED "AS IS" WITHOUT ANY WARRANTY.
/// </remarks>
public static class SobolSequence
{
    private const int Bits = 32;

    /// <summary>Dimensions 2..64: the coefficients a of the primitive polynomial, then the initial m_1..m_s.</summary>
    private static readonly int[][] Directions =
    [
        [0, 1], [1, 1, 3], [1, 1, 3, 1], [2, 1, 1, 1], [1, 1, 1, 3, 3], [4, 1, 3, 5, 13], [2, 1, 1, 5, 5, 17],
        [4, 1, 1, 5, 5, 5], [7, 1, 1, 7, 11, 19], [11, 1, 1, 5, 1, 1], [13, 1, 1, 1, 3, 11], [14, 1, 3, 5, 5, 31],
        [1, 1, 3, 3, 9, 7, 49], [13, 1, 1, 1, 15, 21, 21], [16, 1, 3, 1, 13, 27, 49], [19, 1, 1, 1, 15, 7, 5],
        [22, 1, 3, 1, 15, 13, 25], [25, 1, 1, 5, 5, 19, 61], [1, 1, 3, 7, 11, 23, 15, 103], [4, 1, 3, 7, 13, 13, 15, 69],
        [7, 1, 1, 3, 13, 7, 35, 63], [8, 1, 3, 5, 9, 1, 25, 53], [14, 1, 3, 1, 13, 9, 35, 107], [19, 1, 3, 1, 5, 27, 61, 31],
        [21, 1, 1, 5, 11, 19, 41, 61], [28, 1, 3, 5, 3, 3, 13, 69], [31, 1, 1, 7, 13, 1, 19, 1], [32, 1, 3, 7, 5, 13, 19, 59],
        [37, 1, 1, 3, 9, 25, 29, 41], [41, 1, 3, 5, 13, 23, 1, 55], [42, 1, 3, 7, 3, 13, 59, 17], [50, 1, 3, 1, 3, 5, 53, 69],
        [55, 1, 1, 5, 5, 23, 33, 13], [56, 1, 1, 7, 7, 1, 61, 123], [59, 1, 1, 7, 9, 13, 61, 49], [62, 1, 3, 3, 5, 3, 55, 33],
        [14, 1, 3, 1, 15, 31, 13, 49, 245], [21, 1, 3, 5, 15, 31, 59, 63, 97], [22, 1, 3, 1, 11, 11, 11, 77, 249],
        [38, 1, 3, 1, 11, 27, 43, 71, 9], [47, 1, 1, 7, 15, 21, 11, 81, 45], [49, 1, 3, 7, 3, 25, 31, 65, 79],
        [50, 1, 3, 1, 1, 19, 11, 3, 205], [52, 1, 1, 5, 9, 19, 21, 29, 157], [56, 1, 3, 7, 11, 1, 33, 89, 185],
        [67, 1, 3, 3, 3, 15, 9, 79, 71], [70, 1, 3, 7, 11, 15, 39, 119, 27], [84, 1, 1, 3, 1, 11, 31, 97, 225],
        [97, 1, 1, 1, 3, 23, 43, 57, 177], [103, 1, 3, 7, 7, 17, 17, 37, 71], [115, 1, 3, 1, 5, 27, 63, 123, 213],
        [122, 1, 1, 3, 5, 11, 43, 53, 133], [8, 1, 3, 5, 5, 29, 17, 47, 173, 479], [13, 1, 3, 3, 11, 3, 1, 109, 9, 69],
        [16, 1, 1, 1, 5, 17, 39, 23, 5, 343], [22, 1, 3, 1, 5, 25, 15, 31, 103, 499], [25, 1, 1, 1, 11, 11, 17, 63, 105, 183],
        [44, 1, 1, 5, 11, 9, 29, 97, 231, 363], [47, 1, 1, 5, 15, 19, 45, 41, 7, 383], [52, 1, 3, 7, 7, 31, 19, 83, 137, 221],
        [55, 1, 1, 1, 3, 23, 15, 111, 223, 83], [59, 1, 1, 5, 13, 31, 15, 55, 25, 161], [62, 1, 1, 3, 13, 25, 47, 39, 87, 257],
    ];

    public static int MaxDimensions => Directions.Length + 1;

    /// <summary>
    /// The first <paramref name="count"/> points in [0, 1)^<paramref name="dimensions"/>; with a seed, digitally
    /// shifted by words drawn from it (the same points for the same seed), without one the plain sequence.
    /// </summary>
    public static double[][] Points(int count, int dimensions, ulong? shiftSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, MaxDimensions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)count, 1L << Bits);
        var v = new uint[dimensions][];
        for (var d = 0; d < dimensions; d++)
        {
            v[d] = DirectionWords(d);
        }
        var shift = new uint[dimensions];
        if (shiftSeed is { } seed)
        {
            var rng = RandomStreams.For(seed, "sobol", 0, "digital-shift");
            for (var d = 0; d < dimensions; d++)
            {
                shift[d] = (uint)rng.NextInt64(0, 1L << Bits);
            }
        }
        var x = new uint[dimensions];
        var result = new double[count][];
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                // Gray code: point i differs from point i - 1 by the direction word of the lowest zero bit of i - 1.
                var c = System.Numerics.BitOperations.TrailingZeroCount(~(uint)(i - 1));
                for (var d = 0; d < dimensions; d++)
                {
                    x[d] ^= v[d][c];
                }
            }
            var point = new double[dimensions];
            for (var d = 0; d < dimensions; d++)
            {
                point[d] = (x[d] ^ shift[d]) / 4294967296.0;
            }
            result[i] = point;
        }
        return result;
    }

    /// <summary>The 32 direction words v_1..v_32 of dimension <paramref name="d"/> (0-based), each m_j shifted to its bit.</summary>
    private static uint[] DirectionWords(int d)
    {
        var v = new uint[Bits];
        if (d == 0)
        {
            for (var j = 0; j < Bits; j++)
            {
                v[j] = 1u << (Bits - 1 - j);
            }
            return v;
        }
        var row = Directions[d - 1];
        var a = row[0];
        var s = row.Length - 1;
        for (var j = 0; j < Math.Min(s, Bits); j++)
        {
            v[j] = (uint)row[j + 1] << (Bits - 1 - j);
        }
        for (var j = s; j < Bits; j++)
        {
            v[j] = v[j - s] ^ (v[j - s] >> s);
            for (var k = 1; k < s; k++)
            {
                v[j] ^= (uint)((a >> (s - 1 - k)) & 1) * v[j - k];
            }
        }
        return v;
    }
}
