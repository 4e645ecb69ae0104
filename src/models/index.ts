// The models: pure functions over typed arrays, run in a worker with progress and cancel. Segmentation first.
export { type Matrix, matrix, fromRows, fromColumns, toRows, getRow, getColumn, selectRows } from './matrix.ts';
export { type RunControl, throwIfCancelled } from './progress.ts';
export { type Clustering } from './clusters.ts';
export { type FeatureTransform, type FeatureOptions, type Scaling, type ScalingKind, prepareFeatures, applyTransform, invertTransform } from './features.ts';
export { type KMeansOptions, type KMeansResult, kmeans } from './kmeans.ts';
export { type Elbow, type ElbowOptions, elbow, findKnee } from './elbow.ts';
export { type SilhouetteOptions, type SilhouetteResult, type SilhouetteByK, type SilhouetteByKOptions, silhouette, silhouetteByK, suggestK } from './silhouette.ts';
export { type Dendrogram, type HierarchicalOptions, type HierarchicalResult, type Linkage, hierarchical, linkageTree, cutTree } from './hierarchical.ts';
export { type Contingency, adjustedRandIndex, contingencyTable } from './ari.ts';
export { type PcaResult, pca } from './pca.ts';
export { type LabelFormat, type RfmColumns, type SegmentLabel, labelRfmSegments, labelSpendTiers, labelSegments } from './labels.ts';
export { type SegmentModel, type SegmentPrediction, predictSegment } from './predictor.ts';
export { type ParetoCurve, pareto } from './pareto.ts';
// Market baskets and recommenders.
export { type Transactions, buildTransactions } from './basket.ts';
export { type FrequentItemset, type FrequentItemsets, type FpGrowthOptions, fpGrowth } from './fpgrowth.ts';
export { type AssociationRule, type RuleOptions, associationRules, formatRule } from './rules.ts';
export { type SparseMatrix, type Interactions, type InteractionRows, type InteractionValue, type Recommendation, type Recommender, buildInteractions, recommend, topN } from './interactions.ts';
export { type WeightingScheme, weightMatrix } from './weighting.ts';
export { type ItemSimilarities, type BoughtWith, itemSimilarities, similarProducts, findProduct, oftenBoughtWith, oftenBoughtWithEach, itemKnnRecommender } from './item-knn.ts';
export { userKnnRecommender } from './user-knn.ts';
export { type AlsModel, type AlsOptions, trainAls, alsRecommender } from './als.ts';
export { type Ratings, type SvdModel, type SvdOptions, trainSvd, predictRating, svdRecommender, crossValidateSvd } from './svd.ts';
export { tfidfVectors, contentRecommender, similarByContent } from './content.ts';
export { popularityRecommender } from './popularity.ts';
export { hybridRecommender } from './hybrid.ts';
export { type RecommenderMethod, RECOMMENDER_METHODS, recommenderFactories } from './recommenders.ts';
export { type EvaluationRows, type RecommenderFactory, type RecommenderEvaluation, timeSplit, lastBasketSplit, defaultCutoff, evaluateRecommenders } from './evaluation.ts';
export { type RankingEvaluation, evaluate as evaluateRanking, precisionAtK, recallAtK, averagePrecisionAtK, ndcgAtK, hitRateAtK, catalogueCoverage } from './ranking-metrics.ts';
// Forecasts, loyalty and lifetime value.
export { type Forecast, type ForecastModel, type BacktestResult, type AutoForecast, seasonalNaive, linearSeasonal, forecastWith, backtest, autoForecast, accuracy } from './forecast.ts';
export { holtWinters, fitHoltWinters } from './holt-winters.ts';
export { type Period, periodSeries } from './periods.ts';
export { type LogisticModel, fitLogistic, predictLogisticProba } from './logistic.ts';
export { type RandomForest, fitRandomForest, predictForestProba } from './random-forest.ts';
export { rocCurve, rocAuc, precisionRecallCurve, averagePrecision, confusionMatrix, thresholdMetrics, calibrationTable, permutationImportance, stratifiedSplit } from './classification-metrics.ts';
export { type BgNbdModel, type GammaGammaModel, fitBgNbd, fitGammaGamma, bgNbdProbabilityAlive, bgNbdExpectedPurchases, gammaGammaExpectedAverageProfit, customerLifetimeValue } from './clv.ts';
export { customerSummary } from './clv-summary.ts';
