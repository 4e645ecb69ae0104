import { describe, expect, it } from 'vitest';
import { prepareFeatures } from '../../../../src/models/kit/features.ts';
import { kmeans } from '../../../../src/models/segmentation/kmeans.ts';
import { fromRows } from '../../../../src/models/kit/matrix.ts';
import { predictSegment } from '../../../../src/models/segmentation/predictor.ts';

// Recency (days), frequency (orders), monetary (£) of eight customers: four loyal, four lapsed.
const customers = fromRows([
  [5, 12, 2400], [8, 10, 1900], [3, 15, 3100], [10, 9, 2100],
  [250, 1, 40], [300, 1, 25], [280, 2, 60], [320, 1, 30],
]);
const columns = ['recency', 'frequency', 'monetary'];

describe('predictSegment', () => {
  it('places a new customer in the nearest segment in the transformed space', () => {
    const { matrix, transform } = prepareFeatures(customers, { columns, log1p: ['frequency', 'monetary'] });
    const clustering = kmeans(matrix, 2, { seed: 1 });
    const labels = Array.from({ length: 2 }, (_, cluster) => (clustering.centroids.values[cluster * 3]! < 0 ? 'High-Value' : 'At-Risk'));
    const model = { transform: JSON.parse(JSON.stringify(transform)) as typeof transform, centroids: clustering.centroids, labels };

    const loyal = predictSegment(model, [6, 11, 2000]);
    expect(loyal.label).toBe('High-Value');
    expect(loyal.distances).toHaveLength(2);
    expect(loyal.distances[loyal.cluster]).toBe(Math.min(...loyal.distances));
    expect(predictSegment(model, [290, 1, 35]).label).toBe('At-Risk');
  });

  it('measures Euclidean distances to each centroid (hand example, no scaling)', () => {
    const { transform } = prepareFeatures(fromRows([[0, 0], [1, 1]]), { columns: ['x', 'y'], scaling: 'none' });
    const prediction = predictSegment({ transform, centroids: fromRows([[0, 0], [3, 4]]), labels: ['Low Spenders', 'High Spenders'] }, [3, 0]);
    expect(Array.from(prediction.distances)).toEqual([3, 4]);
    expect(prediction).toMatchObject({ cluster: 0, label: 'Low Spenders' });
  });

  it('rejects a customer with the wrong number of values, or a model whose parts disagree', () => {
    const { transform } = prepareFeatures(customers, { columns });
    const centroids = fromRows([[0, 0, 0], [1, 1, 1]]);
    expect(() => predictSegment({ transform, centroids, labels: ['A', 'B'] }, [1, 2])).toThrow(/expected 3 values \(recency, frequency, monetary\), got 2/);
    expect(() => predictSegment({ transform, centroids, labels: ['A'] }, [1, 2, 3])).toThrow(/2 centroids but 1 labels/);
    expect(() => predictSegment({ transform, centroids: fromRows([[0, 0]]), labels: ['A'] }, [1, 2, 3])).toThrow(/centroids have 2 columns but the transform has 3/);
  });
});
